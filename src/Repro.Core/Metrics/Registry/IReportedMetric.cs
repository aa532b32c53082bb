namespace Repro.Core.Metrics;

/// <summary>
/// A metric whose values another stage measures (the trainer's loss, the sampler's Metropolis check):
/// registered for its names, scope and needs, so gates, schema and report spell it from one place.
/// </summary>
public interface IReportedMetric : IMetric
{
    /// <summary>Which stage measures it ("the DSM trainer").</summary>
    string MeasuredBy { get; }
}
