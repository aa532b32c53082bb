using Repro.Core.Definitions.Json;
using Repro.Core.Metrics;

namespace Repro.Core.Definitions;

/// <summary>
/// A statistical threshold that a run must meet: <c>metric(reconstruction, reference) comparator
/// threshold</c>, for each seed or for the mean over seeds, with the reason for the number. A gate of a
/// control (<see cref="ExpectsFailure"/>, JSON <c>"expect": "fail"</c>) must miss its threshold: the control
/// lacks what the gate checks (a flat MLP is not equivariant), so a control that meets it is the failure, as
/// pytest's strict <c>xfail</c> reports an unexpected pass.
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

    /// <summary>A gate that must be met (the default of <c>expect</c>).</summary>
    public const string ExpectPass = "pass";

    /// <summary>A control's gate, which must be missed.</summary>
    public const string ExpectFail = "fail";

    /// <summary>True for a control's gate: the check holds when the value misses the threshold.</summary>
    public bool ExpectsFailure { get; init; }

    /// <summary>The 1-based line of the gate's <c>threshold</c> in its definition file (0 for a gate not read from a file), so CI annotations point at the number.</summary>
    public int Line { get; init; }

    /// <summary>True when <paramref name="value"/> meets the gate.</summary>
    public bool Passes(double value) => Comparator switch
    {
        "<=" => value <= Threshold,
        ">=" => value >= Threshold,
        _ => throw new InvalidOperationException($"unknown comparator {Comparator}"),
    };

    /// <summary>The threshold as every output shows it: <c>&lt;= 0.0001</c>, or for a control's gate <c>must miss &lt;= 0.0001</c>.</summary>
    public string ThresholdText => $"{(ExpectsFailure ? "must miss " : "")}{Comparator} {Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// True when the check holds for <paramref name="value"/>: it meets the threshold, or for a control's gate
    /// (<see cref="ExpectsFailure"/>) it misses it. NaN (not measured, undefined) holds neither way: a control
    /// that was not measured has not shown that it fails.
    /// </summary>
    public bool Holds(double value) => !double.IsNaN(value) && Passes(value) != ExpectsFailure;

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
        string expect = r.Has("expect") ? r.Choice("expect", ExpectPass, ExpectFail) : ExpectPass;
        r.Done();
        return new GateDefinition(metric, reconstruction, reference, comparator, threshold, over, reason)
            { Line = r.LineOf("threshold"), ExpectsFailure = expect == ExpectFail };
    }
}

/// <summary>
/// Short names of the registered metrics' gateable outputs (each spelled once, in its metric's file under
/// <c>Metrics/Kinds</c>), and the lists a gate is checked against, read from <see cref="MetricCatalog.Default"/>.
/// Training metrics use the pseudo-reconstruction <see cref="TrainingReconstruction"/>.
/// </summary>
public static class MetricNames
{
    /// <summary>Pseudo-reconstruction name for metrics of the trained score itself.</summary>
    public const string TrainingReconstruction = "training";

    /// <summary><see cref="MmdMetric.Mmd2"/>.</summary>
    public static string Mmd2 => MmdMetric.Mmd2.Name;
    /// <summary><see cref="MmdMetric.PValue"/>.</summary>
    public static string MmdPValue => MmdMetric.PValue.Name;
    /// <summary><see cref="KsMetric.PValue"/>.</summary>
    public static string KsPValue => KsMetric.PValue.Name;
    /// <summary><see cref="KsMetric.Statistic"/>.</summary>
    public static string KsStatistic => KsMetric.Statistic.Name;
    /// <summary><see cref="SlicedKsMetric.PValue"/>.</summary>
    public static string SlicedKsPValue => SlicedKsMetric.PValue.Name;
    /// <summary><see cref="MomentsMetric.MeanError"/>.</summary>
    public static string MeanError => MomentsMetric.MeanError.Name;
    /// <summary><see cref="MomentsMetric.CovarianceErrorRelative"/>.</summary>
    public static string CovarianceErrorRelative => MomentsMetric.CovarianceErrorRelative.Name;
    /// <summary><see cref="MomentsMetric.VarianceRatioDeviation"/>.</summary>
    public static string VarianceRatioDeviation => MomentsMetric.VarianceRatioDeviation.Name;
    /// <summary><see cref="ModeWeightsMetric.Error"/>.</summary>
    public static string ModeWeightError => ModeWeightsMetric.Error.Name;
    /// <summary><see cref="ModeWeightsMetric.PValue"/>.</summary>
    public static string ModeWeightPValue => ModeWeightsMetric.PValue.Name;
    /// <summary><see cref="KsdMetric.PValue"/> (reported; never gates alone).</summary>
    public static string KsdPValue => KsdMetric.PValue.Name;
    /// <summary><see cref="ScoreErrorMetric.RelativeL2"/> (training metric).</summary>
    public static string ScoreRelativeL2 => ScoreErrorMetric.RelativeL2.Name;
    /// <summary><see cref="TrainingLossMetric.Excess"/> (training metric).</summary>
    public static string LossExcess => TrainingLossMetric.Excess.Name;
    /// <summary><see cref="MetropolisRejectionMetric.Rejection"/> (sampler metric; exact-score Langevin reconstructions only).</summary>
    public static string MhRejection => MetropolisRejectionMetric.Rejection.Name;

    /// <summary><see cref="CentreOfMassDriftMetric.Drift"/> (sampler metric; data on the zero-centre-of-mass subspace).</summary>
    public static string ComDrift => CentreOfMassDriftMetric.Drift.Name;

    /// <summary>Every name a gate may use: the registry's gateable outputs.</summary>
    public static IReadOnlyList<string> All => MetricCatalog.Default.GateableNames;

    /// <summary>Gateable metrics that describe the trained score rather than a reconstruction.</summary>
    public static IReadOnlyList<string> Training { get; } = MetricCatalog.Default.Metrics
        .Where(m => m.Scope == MetricScope.Training).SelectMany(m => m.Outputs).Where(o => o.Gateable).Select(o => o.Name).ToArray();
}
