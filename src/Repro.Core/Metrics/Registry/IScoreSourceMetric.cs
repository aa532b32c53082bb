using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// A metric of a score source against a law (score error today; equivariance error and the
/// time-resolved score error fit the same call): the source is asked at its own σ
/// (<see cref="IScoreSource.Sigma"/>), on points of the law's reference sample.
/// </summary>
public interface IScoreSourceMetric : IMetric
{
    /// <summary>The named values of <paramref name="score"/> on <paramref name="law"/>, in the order of <see cref="IMetric.Outputs"/>; called only when the law meets every need.</summary>
    IEnumerable<(string Metric, double Value)> Compute(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng);
}
