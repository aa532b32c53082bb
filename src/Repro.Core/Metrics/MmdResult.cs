namespace Repro.Core.Metrics;

/// <summary>A two-sample MMD test with one Gaussian RBF bandwidth.</summary>
/// <param name="Mmd2Unbiased">Unbiased U-statistic MMD²_u (squared kernel units, dimensionless; may be negative, reported as is).</param>
/// <param name="Mmd2Biased">Biased V-statistic MMD²_b ≥ 0.</param>
/// <param name="Bandwidth">Kernel standard deviation h, a length in the units of the samples.</param>
/// <param name="PValue">Permutation p-value (1 + #{b : MMD²_u,b ≥ MMD²_u})/(1 + B).</param>
/// <param name="Permutations">Number B of permutations.</param>
public sealed record MmdResult(double Mmd2Unbiased, double Mmd2Biased, double Bandwidth, double PValue, int Permutations);
