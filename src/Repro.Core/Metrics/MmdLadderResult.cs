namespace Repro.Core.Metrics;

/// <summary>An MMD test over a ladder of bandwidths, aggregated by the maximum standardised statistic.</summary>
/// <param name="MedianBandwidth">The median-heuristic bandwidth h_med (a length).</param>
/// <param name="Bandwidths">h_med × {1/4, 1/2, 1, 2, 4}.</param>
/// <param name="Mmd2Unbiased">MMD²_u at each bandwidth.</param>
/// <param name="NullStandardDeviations">Standard deviation (ddof = 1) of MMD²_u over the permutations, per bandwidth.</param>
/// <param name="Statistic">T = max_l MMD²_u,l / σ_l.</param>
/// <param name="PValue">(1 + #{b : T_b ≥ T})/(1 + B), T_b from the same permutations and the same σ_l.</param>
/// <param name="Permutations">Number B of permutations.</param>
public sealed record MmdLadderResult(
    double MedianBandwidth,
    IReadOnlyList<double> Bandwidths,
    IReadOnlyList<double> Mmd2Unbiased,
    IReadOnlyList<double> NullStandardDeviations,
    double Statistic,
    double PValue,
    int Permutations);
