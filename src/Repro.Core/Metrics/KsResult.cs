namespace Repro.Core.Metrics;

/// <summary>A two-sided Kolmogorov–Smirnov test.</summary>
/// <param name="Statistic">D = sup |F₁ − F₂| (dimensionless, in [0, 1]).</param>
/// <param name="PValue">Two-sided p-value, clipped to [0, 1].</param>
/// <param name="Method">Exact or asymptotic, as SciPy would choose.</param>
public sealed record KsResult(double Statistic, double PValue, KsMethod Method);
