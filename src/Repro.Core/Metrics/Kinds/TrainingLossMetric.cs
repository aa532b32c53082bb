namespace Repro.Core.Metrics;

/// <summary>
/// The DSM trainer's final loss against the loss floor d/σ² − J(p_σ) that a perfect score reaches
/// (<see cref="Targets.LossFloor"/>): the excess is the Fisher divergence to p_σ. Measured by the trainer.
/// </summary>
public sealed class TrainingLossMetric : IReportedMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "training-loss";

    /// <summary>Final loss minus the floor.</summary>
    public static readonly MetricOutput Excess = new("loss-excess", "final DSM loss minus the loss floor (≈ the Fisher divergence to p_σ)") { Gateable = true };

    /// <summary>Mean DSM loss of the last steps.</summary>
    public static readonly MetricOutput Final = new("final-loss", "mean minibatch DSM loss over the last steps");

    /// <summary>The floor d/σ² − J(p_σ).</summary>
    public static readonly MetricOutput Floor = new("loss-floor", "DSM loss floor d/σ² − J(p_σ), per dimension as the loss is");

    /// <summary>Its Monte Carlo standard error.</summary>
    public static readonly MetricOutput FloorSe = new("loss-floor-se", "error of loss-floor: the quadrature's error estimate (d ≤ 2) or the Monte Carlo standard error");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "final DSM loss against the loss floor a perfect score reaches";

    /// <inheritdoc/>
    public string MeasuredBy => "the DSM trainer";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Training;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Excess, Final, Floor, FloorSe];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.TrainedScore];

    /// <summary>The rows, in <see cref="Outputs"/> order.</summary>
    public static IReadOnlyList<(string Metric, double Value)> Values(double finalLoss, double floor, double floorStandardError) =>
        [(Excess.Name, finalLoss - floor), (Final.Name, finalLoss), (Floor.Name, floor), (FloorSe.Name, floorStandardError)];
}
