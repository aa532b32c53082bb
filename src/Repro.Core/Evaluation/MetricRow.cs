namespace Repro.Core.Evaluation;

/// <summary>
/// One measured number in long format: <paramref name="Metric"/> of reconstruction
/// <paramref name="Reconstruction"/> against <paramref name="Reference"/> (p0, p-sigma, or
/// <c>null-p0</c>/<c>null-p-sigma</c> for the null baseline) for one training seed.
/// </summary>
public sealed record MetricRow(string Experiment, long Seed, string Reconstruction, string Reference, string Metric, double Value);
