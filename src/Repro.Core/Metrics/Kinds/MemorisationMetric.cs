using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Memorisation and chirality of generated conformers of an <c>ensemble</c>: the RMSD of each conformer to its nearest
/// TRAINING conformer after optimal superposition (Kabsch; <see cref="ConformerGeometry.NearestTraining"/>), as a median,
/// beside the same median for the HELD-OUT conformers, which the model never saw: a ratio well below 1 means the
/// samples sit closer to the training set than unseen conformers of the same ensemble do (memorised), about 1 that they
/// are as novel as held-out ones. Also the share of conformers whose nearest training conformer under every orthogonal
/// map is reached by a reflection (mirror images: a distance-only, O(3)-equivariant network cannot tell a chain from its
/// mirror image). Its null baseline (a fresh sample of p₀: training conformers) is pure memorisation, RMSD 0.
/// </summary>
public sealed class MemorisationMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "memorisation";

    /// <summary>Median nearest-training RMSD of the sample.</summary>
    public static readonly MetricOutput Nearest = new("nearest-training-rmsd", "median over the conformers of the Kabsch RMSD to the nearest training conformer (data units)");

    /// <summary>The same for the held-out conformers.</summary>
    public static readonly MetricOutput NearestHeldOut = new("nearest-training-rmsd-held-out", "median over the held-out conformers of the Kabsch RMSD to the nearest training conformer (data units; the same in every row)");

    /// <summary>Their ratio.</summary>
    public static readonly MetricOutput Ratio = new("memorisation-ratio", "nearest-training-rmsd / nearest-training-rmsd-held-out: ≪ 1 memorised, ≈ 1 as novel as unseen conformers") { Gateable = true };

    /// <summary>Share of mirror images.</summary>
    public static readonly MetricOutput Mirror = new("mirror-fraction", "share of conformers closer (Kabsch) to the mirror image of their nearest training conformer than to any training conformer itself") { Gateable = true };

    /// <summary>The same share for the held-out conformers.</summary>
    public static readonly MetricOutput MirrorHeldOut = new("mirror-fraction-held-out", "share of held-out conformers closer to a mirrored training conformer (the same in every row)");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "memorisation: Kabsch RMSD of each conformer to its nearest training conformer against the same for held-out conformers, and the share of mirror images";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Nearest, NearestHeldOut, Ratio, Mirror, MirrorHeldOut];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.HeldOutSplit];

    /// <inheritdoc/>
    public bool AgainstSample => false;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var split = law.Exact.Split!;
        var training = split.Training;
        var (nearest, mirrored) = ConformerGeometry.NearestTraining(x, training);
        var (heldNearest, heldMirrored) = ConformerGeometry.NearestTraining(split.HeldOut, training);
        double median = Median(nearest), heldMedian = Median(heldNearest);
        return [(Nearest.Name, median), (NearestHeldOut.Name, heldMedian), (Ratio.Name, median / heldMedian),
            (Mirror.Name, mirrored.Count(m => m) / (double)mirrored.Length), (MirrorHeldOut.Name, heldMirrored.Count(m => m) / (double)heldMirrored.Length)];
    }

    /// <summary>The median (mean of the two middle values for an even count, NumPy's <c>median</c>).</summary>
    static double Median(double[] v)
    {
        var s = (double[])v.Clone();
        Array.Sort(s);
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
