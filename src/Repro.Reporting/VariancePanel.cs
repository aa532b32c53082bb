namespace Repro.Reporting;

/// <summary>One panel of the variance-by-step figure: every line in it is divided by the variance of one law.</summary>
/// <param name="Law">The denominator's law as the axis names it, e.g. "p_σ, σ = 1.25" or "p₀".</param>
/// <param name="Lines">Per (reconstruction, coordinate, or the mean over coordinates): the traced steps and the ratio at each.</param>
/// <param name="Levels">Horizontal reference levels (p₀'s variance over this law's, per coordinate), each with its label.</param>
public sealed record VariancePanel(string Law, IReadOnlyList<Plots.VarianceSeries> Lines, IReadOnlyList<Plots.VarianceLevel> Levels);
