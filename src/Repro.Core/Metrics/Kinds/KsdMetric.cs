using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Kernel Stein discrepancy of the sample against the law's exact score ∇log p_σ, with a wild-bootstrap
/// p-value (<see cref="KernelStein.Test"/>; Liu, Lee &amp; Jordan 2016). Blind to mixing weights
/// (Wenliang &amp; Kanagawa 2020): reported, never a gate alone.
/// </summary>
public sealed class KsdMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "ksd";

    /// <summary>KSD² (V-statistic).</summary>
    public static readonly MetricOutput Ksd2 = new("ksd2", "kernel Stein discrepancy KSD² against the exact score") { NullLevel = 0 };

    /// <summary>Wild-bootstrap p-value.</summary>
    public static readonly MetricOutput PValue = new("ksd-pvalue", "wild-bootstrap p-value of KSD²") { Headline = true, Gateable = true, IsPValue = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "kernel Stein discrepancy against the exact score of the law, wild-bootstrap p-value";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Ksd2, PValue];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.ExactLaw, MetricNeed.ExactScore, MetricNeed.FullDimensionalDensity];

    /// <inheritdoc/>
    public bool AgainstSample => false;

    /// <inheritdoc/>
    public bool Resamples => true;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var ksd = KernelStein.Test(x, law.Score, settings.Bootstrap, rng.Child("ksd"));
        return [(Ksd2.Name, ksd.Ksd2), (PValue.Name, ksd.PValue)];
    }
}
