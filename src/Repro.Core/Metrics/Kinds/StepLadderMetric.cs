using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Metrics;

/// <summary>
/// Sample quality against the number of score evaluations (issue 15, "the report: sample quality against the
/// number of score evaluations per sampler"): a schedule sampler run again at each fraction of its grid that its
/// reconstruction's <c>stepLadder</c> lists, from the same start with the same noise keys, and the KS distance of
/// each end to the law the reconstruction aims at (the largest per-coordinate one-sample KS statistic against the
/// exact marginal CDFs, as <see cref="KsMetric.Statistic"/>). Rung k = 1..m are the ladder's fractions in order,
/// rung m + 1 the reconstruction itself. Measured by the runner; it says how fast each sampler's discretisation
/// error falls, with the exact score (the sampler alone) and with the learned one.
/// </summary>
public sealed class StepLadderMetric : IReportedMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "step-ladder";

    /// <summary>Score evaluations per particle at rung k.</summary>
    public static readonly MetricOutput Evaluations = new("ladder-evaluations-{k}",
        "score evaluations per particle of the schedule sampler at the k-th rung of its stepLadder (the last rung is the reconstruction itself)");

    /// <summary>KS distance at rung k.</summary>
    public static readonly MetricOutput Distance = new("ladder-ks-{k}",
        "largest per-coordinate KS statistic D of the k-th rung's samples against the exact marginal CDFs of the law the reconstruction aims at (1 when a particle left every finite value)") { NullLevel = 0 };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "KS distance to the aimed-at law against score evaluations, the schedule sampler re-run at fractions of its steps";

    /// <inheritdoc/>
    public string MeasuredBy => "the schedule sampler, re-run at each stepLadder fraction of its grid";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sampler;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Evaluations, Distance];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.MarginalCdf];

    /// <summary>
    /// The KS distance of <paramref name="samples"/> (n × d) to <paramref name="target"/> smoothed by
    /// <paramref name="smoothing"/>: the largest per-coordinate one-sample statistic, or 1 when any coordinate is not
    /// finite (a rung whose grid is too coarse for the score can leave every finite value).
    /// </summary>
    public static double Statistic(Points samples, Mixture target, Smoothing smoothing)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(target);
        foreach (double v in samples.Data)
            if (!double.IsFinite(v)) return 1;
        return KolmogorovSmirnov.AgainstMarginals(samples, (k, v) => target.MarginalCdf(k, v, smoothing)).Statistic;
    }
}
