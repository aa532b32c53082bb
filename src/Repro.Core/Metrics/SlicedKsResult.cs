namespace Repro.Core.Metrics;

/// <summary>Sliced two-sample KS: the largest KS statistic over random one-dimensional projections.</summary>
/// <param name="Statistic">max over projections of D (dimensionless).</param>
/// <param name="PValue">(1 + #{permuted max D ≥ observed}) / (1 + B).</param>
/// <param name="Projections">Number K of random unit directions.</param>
/// <param name="Permutations">Number B of label permutations.</param>
/// <param name="WorstProjection">Index of the direction that attained <paramref name="Statistic"/>.</param>
public sealed record SlicedKsResult(double Statistic, double PValue, int Projections, int Permutations, int WorstProjection);
