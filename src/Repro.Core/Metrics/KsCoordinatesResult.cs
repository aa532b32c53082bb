namespace Repro.Core.Metrics;

/// <summary>Per-coordinate two-sample KS tests of d-dimensional samples with Bonferroni adjustment.</summary>
/// <param name="Coordinates">The SciPy-matching test of each coordinate k = 0..d−1.</param>
/// <param name="AdjustedPValues">min(1, d·p_k) per coordinate.</param>
/// <param name="MinAdjustedPValue">min_k of <paramref name="AdjustedPValues"/>: the family-wise p-value.</param>
public sealed record KsCoordinatesResult(IReadOnlyList<KsResult> Coordinates, IReadOnlyList<double> AdjustedPValues, double MinAdjustedPValue);
