namespace Repro.Core.Metrics;

/// <summary>Relative equivariance errors of one transformation family over all (group element, cloud) pairs.</summary>
/// <param name="Max">Largest relative error ‖s(g·X) − g·s(X)‖/‖s(X)‖.</param>
/// <param name="P99">Its 99th percentile (linear interpolation between order statistics).</param>
/// <param name="Count">Number of (group element, cloud) pairs measured.</param>
public sealed record EquivarianceErrorSummary(double Max, double P99, int Count);
