using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Two-sample Kolmogorov–Smirnov tests of generated conformers against the HELD-OUT conformers of an <c>ensemble</c>,
/// on rotation-invariant features (<see cref="ConformerGeometry"/>): the pooled distribution of all pairwise distances
/// (statistic only: the K(K − 1)/2 distances of one conformer are dependent, so no p-value is valid for them), and the
/// radius of gyration, one value per conformer (<see cref="KolmogorovSmirnov.TwoSample"/>, SciPy's <c>ks_2samp</c>).
/// Its null baseline (a fresh sample of p₀, i.e. training conformers, against the held-out ones) is what an unseen
/// split of the same ensemble scores.
/// </summary>
public sealed class HeldOutKsMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "held-out-ks";

    /// <summary>KS distance of the pooled pairwise distances.</summary>
    public static readonly MetricOutput PairwiseDistance = new("pairwise-distance-ks", "two-sample KS statistic D of all pairwise distances ‖x_i − x_j‖ pooled over the conformers, against the held-out conformers'") { Gateable = true };

    /// <summary>KS distance of the radius of gyration.</summary>
    public static readonly MetricOutput Gyration = new("gyration-ks-statistic", "two-sample KS statistic D of the radius of gyration against the held-out conformers'");

    /// <summary>Its p-value.</summary>
    public static readonly MetricOutput GyrationPValue = new("gyration-ks-pvalue", "two-sample KS p-value of the radius of gyration against the held-out conformers'") { Gateable = true, IsPValue = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "two-sample KS against the held-out conformers on rotation-invariant features: pooled pairwise distances (D only) and the radius of gyration";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [PairwiseDistance, Gyration, GyrationPValue];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.HeldOutSplit];

    /// <inheritdoc/>
    public bool AgainstSample => false;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var heldOut = law.Exact.Split!.HeldOut;
        var (distances, gyration) = Features(x);
        var (heldDistances, heldGyration) = Features(heldOut);
        double pairwise = KolmogorovSmirnov.TwoSample(distances, heldDistances).Statistic;
        var g = KolmogorovSmirnov.TwoSample(gyration, heldGyration);
        return [(PairwiseDistance.Name, pairwise), (Gyration.Name, g.Statistic), (GyrationPValue.Name, g.PValue)];
    }

    static (double[] Distances, double[] Gyration) Features(Points clouds)
    {
        var distances = new List<double>();
        var gyration = new double[clouds.Count];
        for (int i = 0; i < clouds.Count; i++)
        {
            distances.AddRange(ConformerGeometry.PairwiseDistances(clouds.Row(i)));
            gyration[i] = ConformerGeometry.RadiusOfGyration(clouds.Row(i));
        }
        return (distances.ToArray(), gyration);
    }
}
