namespace Repro.Core.Metrics;

/// <summary>
/// Mean Metropolis–Hastings rejection probability of the sampler's Langevin moves under the exact law
/// (<see cref="Sampling.MetropolisCheck"/>): the step's own bias, which grows as η^1.5. Measured by the
/// sampler on exact-score Langevin reconstructions.
/// </summary>
public sealed class MetropolisRejectionMetric : IReportedMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "mh-rejection";

    /// <summary>Mean rejection probability.</summary>
    public static readonly MetricOutput Rejection = new("mh-rejection", "mean Metropolis–Hastings rejection probability of the Langevin moves under the exact law") { Gateable = true };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "mean Metropolis–Hastings rejection of the sampler's Langevin moves under the exact law";

    /// <inheritdoc/>
    public string MeasuredBy => "the Langevin sampler";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sampler;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Rejection];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.LangevinOnExactScore];
}
