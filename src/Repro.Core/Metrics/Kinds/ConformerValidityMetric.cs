using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Validity of generated conformers of a chain of K points in R³ (a protein's Cα trace, data kind <c>ensemble</c>), by
/// rotation-invariant features of each conformer alone (<see cref="ConformerGeometry"/>): the spacing of chain
/// neighbours (i, i + 1), steric clashes (pairs |i − j| ≥ 2 closer than <see cref="ConformerGeometry.ClashDistance"/>),
/// and the radius of gyration. Its null baseline (a fresh sample of p₀, i.e. training conformers) gives the ensemble's
/// own values (the ubiquitin NMR ensemble PDB 2K39: spacing 3.83 ± 0.04 Å, R_g 11.41 ± 0.23 Å, no clashes).
/// </summary>
public sealed class ConformerValidityMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "conformer-validity";

    /// <summary>Mean neighbour spacing.</summary>
    public static readonly MetricOutput SpacingMean = new("neighbour-spacing-mean", "mean distance ‖x_{k+1} − x_k‖ of chain neighbours over all conformers (data units: Å for a Cα trace)") { Gateable = true };

    /// <summary>Standard deviation of the neighbour spacing.</summary>
    public static readonly MetricOutput SpacingSd = new("neighbour-spacing-sd", "standard deviation of the chain-neighbour distances over all conformers (data units)");

    /// <summary>Clashes per conformer.</summary>
    public static readonly MetricOutput Clashes = new("clashes-per-conformer", "mean number per conformer of pairs |i − j| ≥ 2 closer than 3 (Å for a Cα trace: non-bonded Cα atoms are ≥ 3.8 Å apart)") { Gateable = true };

    /// <summary>Mean radius of gyration.</summary>
    public static readonly MetricOutput GyrationMean = new("gyration-radius-mean", "mean radius of gyration √((1/K) Σ ‖x_k − x̄‖²) over the conformers (data units)") { Gateable = true };

    /// <summary>Standard deviation of the radius of gyration.</summary>
    public static readonly MetricOutput GyrationSd = new("gyration-radius-sd", "standard deviation of the radius of gyration over the conformers (data units)");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "validity of conformers of a chain: neighbour spacing, steric clashes below 3 Å and radius of gyration (rotation-invariant)";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [SpacingMean, SpacingSd, Clashes, GyrationMean, GyrationSd];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.HeldOutSplit];

    /// <inheritdoc/>
    public bool AgainstSample => false;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var spacing = new List<double>();
        var gyration = new double[x.Count];
        double clashes = 0;
        for (int i = 0; i < x.Count; i++)
        {
            spacing.AddRange(ConformerGeometry.NeighbourSpacings(x.Row(i)));
            gyration[i] = ConformerGeometry.RadiusOfGyration(x.Row(i));
            clashes += ConformerGeometry.Clashes(x.Row(i), ConformerGeometry.ClashDistance);
        }
        return [(SpacingMean.Name, Mean(spacing)), (SpacingSd.Name, Sd(spacing)), (Clashes.Name, clashes / x.Count),
            (GyrationMean.Name, Mean(gyration)), (GyrationSd.Name, Sd(gyration))];
    }

    static double Mean(IReadOnlyList<double> v) => v.Sum() / v.Count;

    /// <summary>The population standard deviation (ddof = 0, NumPy's default).</summary>
    static double Sd(IReadOnlyList<double> v)
    {
        double m = Mean(v);
        return Math.Sqrt(v.Sum(u => (u - m) * (u - m)) / v.Count);
    }
}
