namespace Repro.Core.Metrics;

/// <summary>
/// The equivariance error of a score source, by transformation family (the metric rows
/// <c>equivariance-error-rotation</c>, <c>-reflection</c>, <c>-translation</c>, <c>-permutation</c> to come).
/// </summary>
public sealed record EquivarianceErrorResult(
    EquivarianceErrorSummary Rotation,
    EquivarianceErrorSummary Reflection,
    EquivarianceErrorSummary Translation,
    EquivarianceErrorSummary Permutation);
