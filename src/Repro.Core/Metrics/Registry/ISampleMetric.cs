using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>A metric of a sample against a reference law (MMD, KS, moments, mode weights, KSD): one file per kind.</summary>
public interface ISampleMetric : IMetric
{
    /// <summary>True when it also runs against a law known only by a reference sample (its two-sample form).</summary>
    bool AgainstSample { get; }

    /// <summary>
    /// True when it reads the law's reference sample or resamples (permutations, bootstrap): MMD, sliced KS, KSD.
    /// Gate calibration, which simulates thousands of replicates, computes only the metrics that do not.
    /// </summary>
    bool Resamples { get; }

    /// <summary>
    /// The named values of sample <paramref name="x"/> (n × d, finite) against <paramref name="law"/>, in
    /// the order of <see cref="IMetric.Outputs"/> (a pattern expands to its indices in turn). Called only
    /// when the law meets every need. Draws only from <paramref name="rng"/> (the comparison's stream; a
    /// metric takes its own named child of it).
    /// </summary>
    /// <exception cref="ArgumentException">The sample cannot be judged (for example a coordinate constant to rounding).</exception>
    IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng);

    /// <summary>
    /// What <see cref="Compute"/> does against <paramref name="law"/>, in one line for <c>repro stats</c>: a metric
    /// with a one-sample and a two-sample form says which one ran (default: <see cref="IMetric.Description"/>).
    /// </summary>
    string Describe(ReferenceLaw law) => Description;
}
