namespace Repro.Core.Metrics;

/// <summary>
/// How far a reconstruction's particles drift off the zero-centre-of-mass subspace the data live on
/// (<see cref="Sampling.CentreOfMassDrift"/>): the largest ‖centre of mass‖ / RMS radius of any cloud at any step of
/// the run, start and end included, so samples and whole trajectories are judged. Measured by the runner on every
/// reconstruction of data on that subspace (a centred cloud kind), with the learned or the exact score.
/// </summary>
public sealed class CentreOfMassDriftMetric : IReportedMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "com-drift";

    /// <summary>
    /// The largest relative centre-of-mass drift over the run: 0 in exact arithmetic when the noise and the score lie
    /// in the subspace, float32 rounding of the network's output times the step for an EGNN, and the step times the
    /// score's own centre of mass for a network that does not remove it.
    /// </summary>
    public static readonly MetricOutput Drift = new("com-drift", "largest ‖centre of mass‖ / RMS radius of any cloud over every step of the run (start and end included)") { Gateable = true, NullLevel = 0 };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "largest relative centre-of-mass drift of the particles over the whole run, on data with zero centre of mass";

    /// <inheritdoc/>
    public string MeasuredBy => "the sampler run (every step of every particle)";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sampler;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Drift];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.ParticleShape, MetricNeed.ZeroCentreOfMass];
}
