using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Maximum mean discrepancy with a Gaussian RBF kernel (Gretton et al. 2012, JMLR 13, eq. 3), tested by
/// permutations over a ladder of bandwidths about the median heuristic (<see cref="Mmd.TestLadder"/>), or at
/// one given bandwidth (<see cref="Mmd.Test"/>). Both sides are cut to <see cref="MetricSettings.MmdSize"/> points.
/// </summary>
public sealed class MmdMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "mmd";

    /// <summary>Unbiased MMD² at the ladder's middle (median-heuristic) bandwidth.</summary>
    public static readonly MetricOutput Mmd2 = new("mmd2", "unbiased MMD²_u at the median-heuristic bandwidth (squared kernel units; may be < 0)") { Headline = true, Gateable = true, NullLevel = 0 };

    /// <summary>The bandwidth of <see cref="Mmd2"/>.</summary>
    public static readonly MetricOutput Bandwidth = new("mmd-bandwidth", "kernel standard deviation h of mmd2 (a length)");

    /// <summary>Permutation p-value of the ladder (max standardised MMD² over bandwidths).</summary>
    public static readonly MetricOutput PValue = new("mmd-pvalue", "permutation p-value of the bandwidth ladder's max standardised MMD²") { Headline = true, Gateable = true, IsPValue = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "MMD² two-sample test against the reference sample (RBF kernel, bandwidth ladder h_med × {1/4 … 4}, permutation p-value)";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Mmd2, Bandwidth, PValue];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [];

    /// <inheritdoc/>
    public bool AgainstSample => true;

    /// <inheritdoc/>
    public bool Resamples => true;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        int m = settings.MmdSize;
        var reference = law.Sample;
        x = x.Count > m ? x.Slice(0, m) : x;
        reference = reference.Count > m ? reference.Slice(0, m) : reference;
        if (settings.Bandwidth is { } h)
        {
            var test = Mmd.Test(x, reference, h, settings.Permutations, rng.Child("mmd"));
            return [(Mmd2.Name, test.Mmd2Unbiased), (Bandwidth.Name, test.Bandwidth), (PValue.Name, test.PValue)];
        }
        var ladder = Mmd.TestLadder(x, reference, settings.Permutations, rng.Child("mmd"));
        int median = ladder.Bandwidths.Count / 2;
        return [(Mmd2.Name, ladder.Mmd2Unbiased[median]), (Bandwidth.Name, ladder.Bandwidths[median]), (PValue.Name, ladder.PValue)];
    }
}
