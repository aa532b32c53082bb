using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// A statistical threshold that a run must meet: <c>metric(reconstruction, reference) comparator
/// threshold</c>, for each seed or for the mean over seeds, with the reason for the number.
/// </summary>
public sealed record GateDefinition(
    string Metric, string Reconstruction, string Reference, string Comparator, double Threshold, string Over, string Reason)
{
    /// <summary>The reference p₀.</summary>
    public const string P0 = "p0";

    /// <summary>The reference p_σ at the training σ (or the score's σ).</summary>
    public const string PSigma = "p-sigma";

    /// <summary>Gate on every seed.</summary>
    public const string EachSeed = "each-seed";

    /// <summary>Gate on the mean over seeds.</summary>
    public const string MeanOverSeeds = "mean";

    /// <summary>True when <paramref name="value"/> meets the gate.</summary>
    public bool Passes(double value) => Comparator switch
    {
        "<=" => value <= Threshold,
        ">=" => value >= Threshold,
        _ => throw new InvalidOperationException($"unknown comparator {Comparator}"),
    };

    /// <summary>Reads one entry of <c>gates</c>.</summary>
    public static GateDefinition Read(ObjectReader r)
    {
        string metric = r.Choice("metric", MetricNames.All.ToArray());
        string reconstruction = r.String("reconstruction", ReconstructionDefinition.NamePattern, "[a-z0-9-]+");
        string reference = r.Choice("reference", P0, PSigma);
        string comparator = r.Choice("comparator", "<=", ">=");
        double threshold = r.Number("threshold");
        string over = r.Choice("over", EachSeed, MeanOverSeeds);
        string reason = r.String("reason");
        if (reason.Trim().Length == 0) throw r.Error("reason", "must say where the threshold comes from");
        r.Done();
        return new GateDefinition(metric, reconstruction, reference, comparator, threshold, over, reason);
    }
}

/// <summary>
/// The metric names a gate may refer to. Reconstruction metrics are computed per reconstruction
/// and reference; training metrics use the pseudo-reconstruction <see cref="TrainingReconstruction"/>.
/// </summary>
public static class MetricNames
{
    /// <summary>Pseudo-reconstruction name for metrics of the trained score itself.</summary>
    public const string TrainingReconstruction = "training";

    /// <summary>Unbiased MMD² (RBF kernel, median-heuristic bandwidth).</summary>
    public const string Mmd2 = "mmd2";
    /// <summary>Permutation p-value of the MMD bandwidth ladder.</summary>
    public const string MmdPValue = "mmd-pvalue";
    /// <summary>Bonferroni-adjusted minimum per-coordinate KS p-value.</summary>
    public const string KsPValue = "ks-pvalue";
    /// <summary>Largest per-coordinate KS statistic D.</summary>
    public const string KsStatistic = "ks-statistic";
    /// <summary>Sliced-KS permutation p-value.</summary>
    public const string SlicedKsPValue = "sliced-ks-pvalue";
    /// <summary>‖mean − reference mean‖₂.</summary>
    public const string MeanError = "mean-error";
    /// <summary>‖Σ − Σ_ref‖_F / ‖Σ_ref‖_F.</summary>
    public const string CovarianceErrorRelative = "covariance-error-relative";
    /// <summary>Largest |variance ratio − 1| over coordinates.</summary>
    public const string VarianceRatioDeviation = "variance-ratio-deviation";
    /// <summary>Largest |mean responsibility − true weight| over components (<see cref="Metrics.ModeWeights"/>).</summary>
    public const string ModeWeightError = "mode-weight-error";
    /// <summary>p-value of the mean-responsibility Wald χ² test of the true weights (<see cref="Metrics.ModeWeights"/>).</summary>
    public const string ModeWeightPValue = "mode-weight-pvalue";
    /// <summary>Kernel Stein discrepancy wild-bootstrap p-value (reported; never gates alone).</summary>
    public const string KsdPValue = "ksd-pvalue";
    /// <summary>Relative L2 error of the learned score on points of p_σ (training metric).</summary>
    public const string ScoreRelativeL2 = "score-relative-l2";
    /// <summary>Final DSM loss minus the loss floor (training metric).</summary>
    public const string LossExcess = "loss-excess";
    /// <summary>
    /// Mean Metropolis–Hastings rejection probability of the sampler's Langevin moves under the
    /// exact law (sampler metric; exact-score Langevin reconstructions only).
    /// </summary>
    public const string MhRejection = "mh-rejection";

    /// <summary>Every name a gate may use.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Mmd2, MmdPValue, KsPValue, KsStatistic, SlicedKsPValue, MeanError, CovarianceErrorRelative,
        VarianceRatioDeviation, ModeWeightError, ModeWeightPValue, KsdPValue, ScoreRelativeL2, LossExcess, MhRejection,
    ];

    /// <summary>Metrics that describe the trained score rather than a reconstruction.</summary>
    public static IReadOnlyList<string> Training { get; } = [ScoreRelativeL2, LossExcess];
}
