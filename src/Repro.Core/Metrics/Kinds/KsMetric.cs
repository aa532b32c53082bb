using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Kolmogorov–Smirnov on every coordinate: one-sample against the law's exact marginal CDFs
/// (<see cref="KolmogorovSmirnov.AgainstMarginals"/>), or two-sample against a reference sample
/// (<see cref="KolmogorovSmirnov.PerCoordinate"/>); the largest D and the smallest Bonferroni p-value min(1, d·p_k).
/// </summary>
public sealed class KsMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "ks";

    /// <summary>Largest per-coordinate statistic D.</summary>
    public static readonly MetricOutput Statistic = new("ks-statistic", "largest per-coordinate KS statistic D (in [0, 1])") { Gateable = true, NullLevel = 0 };

    /// <summary>Smallest Bonferroni-adjusted per-coordinate p-value.</summary>
    public static readonly MetricOutput PValue = new("ks-pvalue", "smallest Bonferroni-adjusted per-coordinate KS p-value min(1, d·p_k)") { Headline = true, Gateable = true, IsPValue = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "Kolmogorov–Smirnov on every coordinate: one-sample against the law's exact marginal CDFs, or two-sample against a reference sample when only a sample is known; Bonferroni over coordinates";

    /// <inheritdoc/>
    public string Describe(ReferenceLaw law)
    {
        int d = law.Dimension;
        string form = law.Target is not null
            ? $"one-sample KS of {(d == 1 ? "the coordinate" : $"each of the {d} coordinates")} against the law's exact marginal CDF{(d == 1 ? "" : "s")}"
            : $"two-sample KS of {(d == 1 ? "the coordinate" : $"each of the {d} coordinates")} against the second sample (n = {law.Sample.Count})";
        return d == 1
            ? $"{form}; ks-statistic = D, ks-pvalue = its p-value"
            : $"{form}; ks-statistic = the largest D, ks-pvalue = min(1, {d}·smallest p) (Bonferroni over the {d} coordinates)";
    }

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Statistic, PValue];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.MarginalCdf];

    /// <inheritdoc/>
    public bool AgainstSample => true;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        if (law.Target is { } target)
        {
            var smoothing = law.Smoothing;
            var (worstD, minP) = KolmogorovSmirnov.AgainstMarginals(x, (k, v) => target.MarginalCdf(k, v, smoothing));
            return [(Statistic.Name, worstD), (PValue.Name, minP)];
        }
        var two = KolmogorovSmirnov.PerCoordinate(x, law.Sample);
        return [(Statistic.Name, two.Coordinates.Max(c => c.Statistic)), (PValue.Name, two.MinAdjustedPValue)];
    }
}
