using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Tests.Metrics;

/// <summary>
/// A metric kind that exists only in test code: the one file a new metric is (the registration is one
/// line in the test that uses it). |mean of the first coordinate − the reference sample's|, optionally
/// biased so the suite has a broken metric to catch.
/// </summary>
public sealed class ThrowawayMetric(double bias = 0) : ISampleMetric
{
    /// <summary>Its only output.</summary>
    public static readonly MetricOutput Gap = new("throwaway-mean-gap", "|mean of x₁ − reference mean of x₁| (a length)") { Gateable = true, NullLevel = 0 };

    /// <inheritdoc/>
    public string Kind => "throwaway";

    /// <inheritdoc/>
    public string Description => "test-only: gap between first-coordinate means";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Gap];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [];

    /// <inheritdoc/>
    public bool AgainstSample => true;

    /// <inheritdoc/>
    public bool Resamples => true; // it reads the reference sample

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        double gap = x.Column(0).Average() - law.Sample.Column(0).Average();
        return [(Gap.Name, Math.Abs(gap) + bias)];
    }
}
