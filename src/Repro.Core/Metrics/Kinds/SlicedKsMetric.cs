using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Sliced Kolmogorov–Smirnov: the largest two-sample D over random one-dimensional projections of the
/// sample and the reference sample, with a permutation p-value (<see cref="KolmogorovSmirnov.Sliced"/>).
/// </summary>
public sealed class SlicedKsMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "sliced-ks";

    /// <summary>Permutation p-value of the max-over-directions statistic.</summary>
    public static readonly MetricOutput PValue = new("sliced-ks-pvalue", "permutation p-value of the largest KS D over random projections") { Gateable = true, IsPValue = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "sliced KS over the definition's number of random projections, permutation p-value";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [PValue];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.SeveralCoordinates];

    /// <inheritdoc/>
    public bool AgainstSample => true;

    /// <inheritdoc/>
    public bool Resamples => true;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        // The stream keeps its name from before the registry ("sliced"), so results stay byte-identical.
        var sliced = KolmogorovSmirnov.Sliced(x, law.Sample, settings.Projections, settings.Permutations, rng.Child("sliced"));
        return [(PValue.Name, sliced.PValue)];
    }
}
