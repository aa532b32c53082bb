namespace Repro.Core.Metrics;

/// <summary>Error of a learned score against the true score on the same points.</summary>
/// <param name="FisherDivergence">Mean of ‖s_θ(xᵢ) − s(xᵢ)‖² (units 1/length²).</param>
/// <param name="FisherStandardError">Standard error of that mean, sd(aᵢ)/√n with ddof = 1.</param>
/// <param name="RelativeL2">√(mean ‖s_θ − s‖² / mean ‖s‖²) (dimensionless).</param>
/// <param name="RelativeL2StandardError">Delta-method standard error of <paramref name="RelativeL2"/>.</param>
/// <param name="Count">Number n of points.</param>
public sealed record ScoreErrorResult(double FisherDivergence, double FisherStandardError, double RelativeL2, double RelativeL2StandardError, int Count);
