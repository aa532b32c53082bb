using Repro.Core.Definitions;

namespace Repro.Core.Evaluation;

/// <summary>
/// The outcome of one gate on one seed (or on the mean over seeds, <see cref="Seed"/> null):
/// the value, whether the check holds (<see cref="Passed"/>: the threshold met, or for a control's gate missed as
/// expected), and a message stating value, threshold and reason.
/// </summary>
public sealed record GateVerdict(string Experiment, GateDefinition Gate, long? Seed, double Value, bool Passed)
{
    /// <summary>Stable identifier, e.g. <c>dsm-2d-two-blobs/forward-backward/p-sigma/mmd-pvalue/seed-1</c>.</summary>
    public string Id => $"{Experiment}/{Gate.Reconstruction}/{Gate.Reference}/{Gate.Metric}/{(Seed is long s ? "seed-" + s : "mean")}";

    /// <summary>
    /// Why the verdict does not count (null: it counts): a quick run's gate whose threshold is calibrated at
    /// the full sizes (<see cref="GateEvaluator.QuickRule"/>). <see cref="Passed"/> still says how the value
    /// compares with the threshold, for reading only.
    /// </summary>
    public string? NotJudged { get; init; }

    /// <summary>True when the verdict counts (every full-run verdict; a quick run's size-free gates).</summary>
    public bool Judged => NotJudged is null;

    /// <summary>True when the gate is judged and missed: what fails a check.</summary>
    public bool Failed => Judged && !Passed;

    /// <summary>
    /// The verdict as every output words it: <c>pass</c>, <c>FAIL</c> or <c>not judged</c>; for a control's gate
    /// <c>fails as expected</c> or <c>UNEXPECTED PASS</c> (a missing or NaN value is a plain <c>FAIL</c>).
    /// </summary>
    public string VerdictText => !Judged ? "not judged"
        : Gate.ExpectsFailure ? (Passed ? "fails as expected" : UnexpectedPass ? "UNEXPECTED PASS" : "FAIL")
        : Passed ? "pass" : "FAIL";

    /// <summary>True when a control's gate met the threshold it must miss (the control lost its defect).</summary>
    public bool UnexpectedPass => Gate.ExpectsFailure && !double.IsNaN(Value) && Gate.Passes(Value);

    /// <summary>True when no row of the metric was stored (a diverged or unfinished run); false when it was, even as NaN.</summary>
    public bool Missing { get; init; }

    /// <summary>
    /// Why a <see cref="Missing"/> value is missing when its run diverged (null otherwise): the seed and the stage it
    /// stopped in as its <c>run.json</c> records them, e.g. <c>seed 2 diverged in sampling generation at step 325</c>.
    /// </summary>
    public string? Diverged { get; init; }

    /// <summary>
    /// The value as every output shows it (check's table, the page, JUnit): the number, <c>diverged</c> when no row
    /// was stored because the run diverged, <c>missing</c> when no row was stored otherwise, <c>NaN</c> when the stored
    /// statistic is undefined.
    /// </summary>
    public string ValueText => !double.IsNaN(Value) ? Format(Value) : Diverged is not null ? "diverged" : Missing ? "missing" : "NaN";

    /// <summary>One line: value, comparator, threshold, verdict and the reason for the threshold.</summary>
    public string Message =>
        $"{Gate.Metric} = {FormatValue()} {(!double.IsNaN(Value) && Gate.Passes(Value) ? "meets" : "misses")} {Gate.Comparator} {Format(Gate.Threshold)}"
        + (!Gate.ExpectsFailure ? "" : Passed ? ", as expected of this control" : UnexpectedPass ? ", which this control is expected to miss" : "")
        + (Judged ? $" ({Gate.Reason})" : $", not judged ({NotJudged})");

    string FormatValue() =>
        !double.IsNaN(Value) ? Format(Value)
        : Diverged is not null ? $"missing ({Diverged}: a diverged run has no metrics)"
        : Missing ? "missing"
        : "NaN (not a number: a statistic of non-finite input or an undefined one, which no gate passes)";

    static string Format(double v) => double.IsNaN(v) ? "missing" : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
