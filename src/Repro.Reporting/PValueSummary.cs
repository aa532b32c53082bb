using System.Globalization;
using Repro.Core.Definitions;

namespace Repro.Reporting;

/// <summary>
/// P-values across replicates, summarised as a reviewer reads them: every seed's value, their
/// minimum and, for a gate, how many fall below its threshold. Never a mean ± Student-t interval:
/// p-values are not normal (under the null they are uniform on [0, 1]), their average has no
/// meaning as a test, and an interval around it leaves [0, 1]. A Monte Carlo p-value
/// (1 + #{b : T_b ≥ T})/(1 + B) (Phipson &amp; Smyth 2010) at its floor 1/(B + 1) only says that no
/// resample reached the statistic, so it is shown as "≤ 1/(B+1)", never as a number with ± 0.
/// </summary>
/// <param name="Values">One p-value per seed in the definition's seed order (NaN: missing or undefined).</param>
/// <param name="Resamples">B, the permutations or bootstrap draws of a Monte Carlo p-value; null for an analytic one.</param>
/// <param name="Threshold">The gate's threshold (p below it fails), or null when no gate applies.</param>
public sealed record PValueSummary(IReadOnlyList<double> Values, int? Resamples, double? Threshold)
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>True for the metrics the registry declares p-values (<see cref="Core.Metrics.MetricOutput.IsPValue"/>).</summary>
    public static bool IsPValue(string metric) => Core.Metrics.MetricCatalog.Default.Find(metric)?.Output.IsPValue ?? false;

    /// <summary>
    /// B of the Monte Carlo p-values as the evaluator draws them: MMD and sliced KS use the
    /// definition's permutations (with <c>--quick</c>, at most the quick count), the kernel Stein
    /// discrepancy its bootstrap draws. Null for the analytic p-values (KS, mode weights).
    /// </summary>
    public static int? ResamplesOf(string metric, ExperimentDefinition definition, bool quick) =>
        metric == MetricNames.MmdPValue || metric == MetricNames.SlicedKsPValue
            ? quick ? Math.Min(definition.Quick.Permutations, definition.Evaluation.Permutations) : definition.Evaluation.Permutations
        : metric == MetricNames.KsdPValue ? definition.Evaluation.Bootstrap
        : null;

    /// <summary>The smallest value a Monte Carlo p-value can take, 1/(B + 1); null for an analytic one.</summary>
    public double? Floor => Resamples is int b ? 1.0 / (b + 1) : null;

    /// <summary>Seeds with a value (not NaN).</summary>
    public int Count => Values.Count(v => !double.IsNaN(v));

    /// <summary>The smallest p-value over seeds (NaN when none).</summary>
    public double Minimum => Count == 0 ? double.NaN : Values.Where(v => !double.IsNaN(v)).Min();

    /// <summary>Seeds whose p-value is below the threshold (a missing or NaN value counts: no gate passes it); null without a threshold.</summary>
    public int? Below => Threshold is double t ? Values.Count(v => !(v >= t)) : null;

    /// <summary>True when <paramref name="p"/> is the Monte Carlo floor (no resample reached the statistic).</summary>
    public bool AtFloor(double p) => Floor is double f && p <= f * (1 + 1e-9);

    /// <summary>"0.119, 0.128, 1; min 0.119; 0 of 3 < 0.0001", with "≤ 1/201" for a value at its Monte Carlo floor.</summary>
    public override string ToString()
    {
        if (Values.Count == 0 || Count == 0) return "—";
        string text = string.Join(", ", Values.Select(Format)) + "; min " + Format(Minimum);
        if (Threshold is double t) text += string.Create(Invariant, $"; {Below} of {Values.Count} < {t.ToString("G3", Invariant)}");
        if (Values.Any(AtFloor)) text += string.Create(Invariant, $" (floor 1/(B+1), B = {Resamples})");
        return text;
    }

    string Format(double p) =>
        double.IsNaN(p) ? "NaN"
        : AtFloor(p) ? string.Create(Invariant, $"≤ 1/{Resamples + 1}")
        : p.ToString("G3", Invariant);
}
