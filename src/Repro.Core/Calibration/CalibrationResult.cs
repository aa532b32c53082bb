namespace Repro.Core.Calibration;

/// <summary>Replicate counts of one calibration (each a stated Monte Carlo size, not a tuning knob).</summary>
/// <param name="NullReplicates">Independent exact draws of p_σ per gated sample law (the i.i.d. null).</param>
/// <param name="SamplerReplicates">Exact-score sampler runs per gated reconstruction (the sampler null).</param>
/// <param name="FaultReplicates">Replicates per graded fault for i.i.d. faults and training-gate faults.</param>
/// <param name="SamplerFaultReplicates">Replicates per graded sampler fault (score scale, step size).</param>
public sealed record CalibrationSizes(int NullReplicates, int SamplerReplicates, int FaultReplicates, int SamplerFaultReplicates)
{
    /// <summary>The sizes <c>make calibrate</c> uses.</summary>
    public static CalibrationSizes Full { get; } = new(5_000, 10, 100, 10);

    /// <summary>Sizes for tests.</summary>
    public static CalibrationSizes Quick { get; } = new(200, 2, 20, 2);
}

/// <summary>
/// One gate's calibration: its share of the budget, its simulated null and the false-alarm rate
/// that null implies at the gate's threshold.
/// </summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Gate">Key <c>reconstruction/reference/metric</c>.</param>
/// <param name="Comparator"><c>&lt;=</c> or <c>&gt;=</c>.</param>
/// <param name="Threshold">The definition's threshold.</param>
/// <param name="Instances">Gate instances per full run (seeds, or 1 for a gate on the mean).</param>
/// <param name="Alpha">The budget's share per instance: total budget / instances of the whole gate set.</param>
/// <param name="Kind"><see cref="TrueNull"/> (a test whose null holds exactly for correct code) or <see cref="Tolerance"/>.</param>
/// <param name="Null">Which null was simulated: <see cref="IidNull"/>, <see cref="SamplerNull"/> or <see cref="ExactScoreNull"/>.</param>
/// <param name="Replicates">Null replicates.</param>
/// <param name="Failures">Null replicates that miss the threshold.</param>
/// <param name="NullMean">Mean of the simulated null statistic.</param>
/// <param name="NullSd">Its standard deviation.</param>
/// <param name="NullQuantile">Its 1 − α quantile in the failing direction (upper for ≤ gates, lower for ≥ gates).</param>
/// <param name="ImpliedRate">
/// False-alarm rate per instance implied at the threshold: the threshold itself for a true-null p-value
/// gate (a valid p-value has P(p ≤ t) ≤ t; the simulated failures are checked against Binomial(R, t));
/// otherwise the larger of the empirical rate and the normal tail of the simulated null beyond the threshold.
/// </param>
/// <param name="Allowance">
/// For a tolerance gate, the effect it admits beyond sampling noise: |threshold − null quantile| in the
/// metric's units (a learned score whose true deviation is below it fails at most at rate α).
/// </param>
public sealed record GateCalibration(
    string Experiment, string Gate, string Comparator, double Threshold, int Instances, double Alpha, string Kind, string Null,
    int Replicates, int Failures, double NullMean, double NullSd, double NullQuantile, double ImpliedRate, double? Allowance)
{
    /// <summary>A test whose null is exactly true for correct code (exact score, exact statistics).</summary>
    public const string TrueNull = "true-null test";

    /// <summary>A tolerance gate: fails only when the data show an effect larger than the allowance.</summary>
    public const string Tolerance = "tolerance";

    /// <summary>
    /// A control's gate (<c>"expect": "fail"</c>): the simulated exact score is the alternative it must tell apart, and
    /// its own false alarm (the trained control meeting the threshold) is measured by <c>calibrate --runs</c>, not here.
    /// </summary>
    public const string ExpectedFailure = "expected failure (control)";

    /// <summary>Null: independent exact draws of the law the reconstruction targets.</summary>
    public const string IidNull = "exact draws";

    /// <summary>Null: the configured sampler run on the exact score.</summary>
    public const string SamplerNull = "exact-score sampler";

    /// <summary>Null: the exact score in place of the network.</summary>
    public const string ExactScoreNull = "exact score";

    /// <summary>True when the simulated null agrees with the budget: implied rate ≤ α.</summary>
    public bool WithinBudget => Kind == ExpectedFailure || ImpliedRate <= Alpha * (1 + 1e-9);
}

/// <summary>How often one gate caught one graded fault.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Fault">Fault name (<see cref="GradedFault.Name"/>).</param>
/// <param name="Gate">Gate key.</param>
/// <param name="Replicates">Fault replicates the gate saw (0: the gate cannot see this fault).</param>
/// <param name="Detected">Replicates in which the gate failed.</param>
public sealed record FaultDetection(string Experiment, string Fault, string Gate, int Replicates, int Detected)
{
    /// <summary>Detected / replicates (NaN when the gate does not apply).</summary>
    public double Rate => Replicates == 0 ? double.NaN : Detected / (double)Replicates;
}

/// <summary>
/// A whole calibration: the budget, every gate's null and share, the power table, and whether the
/// gate set is accepted (every gate within its share and the shares summing to at most the budget).
/// </summary>
public sealed record CalibrationResult(
    ulong Seed, CalibrationSizes Sizes, double Budget, int Instances, double DesignRate, double ImpliedRate,
    IReadOnlyList<GateCalibration> Gates, IReadOnlyList<GradedFault> Faults, IReadOnlyList<FaultDetection> Power,
    IReadOnlyList<string> Problems, double Seconds)
{
    /// <summary>The code's commit, filled in by the command that ran it.</summary>
    public string Commit { get; init; } = "";

    /// <summary>True when no problem was found.</summary>
    public bool Accepted => Problems.Count == 0;
}
