namespace Repro.Reporting.Diff;

/// <summary>
/// What <see cref="ResultsDiff.Compare"/> found between a base and a new results folder: every
/// experiment × seed on one side only, every metric value and every other stored number that is not
/// bit-identical (with whether it is beyond the tolerance), and every gate verdict that changed.
/// </summary>
public sealed record DiffResult
{
    /// <summary>The base folder compared.</summary>
    public required string BaseFolder { get; init; }
    /// <summary>The new folder compared.</summary>
    public required string NewFolder { get; init; }
    /// <summary>The tolerance the values were judged with.</summary>
    public required DiffTolerance Tolerance { get; init; }
    /// <summary>Seed folders (relative, e.g. <c>dsm-2d-two-blobs/seed-1</c>) present on both sides.</summary>
    public required IReadOnlyList<string> Seeds { get; init; }
    /// <summary>Seed folders only in the base.</summary>
    public required IReadOnlyList<string> OnlyInBase { get; init; }
    /// <summary>Seed folders only in the new folder.</summary>
    public required IReadOnlyList<string> OnlyInNew { get; init; }
    /// <summary>Metric values compared (rows of the per-seed <c>metrics.csv</c> present on both sides).</summary>
    public required long MetricValues { get; init; }
    /// <summary>Metric rows that are not bit-identical or are on one side only, largest relative change first.</summary>
    public required IReadOnlyList<MetricChange> Metrics { get; init; }
    /// <summary>Files compared besides <c>metrics.csv</c> (samples, starts, trajectories, moments, loss, score grid and error, weights, run records).</summary>
    public required int Files { get; init; }
    /// <summary>Numbers compared in those files.</summary>
    public required long FileValues { get; init; }
    /// <summary>Files that are not bit-identical in their numbers, differ in shape or fields, or are on one side only.</summary>
    public required IReadOnlyList<FileChange> FileChanges { get; init; }
    /// <summary>Gate verdicts compared (from each side's <c>results.json</c>).</summary>
    public required int GateVerdicts { get; init; }
    /// <summary>Gates whose verdict flipped or which are gated on one side only.</summary>
    public required IReadOnlyList<GateChange> Gates { get; init; }
    /// <summary>
    /// Under the null-spread tolerances, each metric's rule and the smallest and largest allowance it gave over
    /// the compared rows (the stated tolerance per metric kind); empty for bit-identity and uniform tolerances.
    /// </summary>
    public IReadOnlyList<StatedTolerance> Tolerances { get; init; } = [];
    /// <summary>What could not be compared and differences of environment (threads, packages, code) that explain a change; never a difference by themselves.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>True when nothing moved beyond the tolerance, no seed is on one side only and no verdict changed.</summary>
    public bool Identical =>
        OnlyInBase.Count == 0 && OnlyInNew.Count == 0 && Gates.Count == 0
        && Metrics.All(m => !m.Beyond) && FileChanges.All(f => f.Beyond == 0 && f.Problems.Count == 0);

    /// <summary>True when every compared number has the same bits (and nothing is missing or flipped).</summary>
    public bool BitIdentical => Identical && Metrics.Count == 0 && FileChanges.Count == 0;

    /// <summary>Metric values beyond tolerance (a row on one side only counts).</summary>
    public int MetricsBeyond => Metrics.Count(m => m.Beyond);
}

/// <summary>One metric row (experiment, seed, reconstruction, reference, metric) whose value changed or that is on one side only.</summary>
public sealed record MetricChange(string Experiment, long Seed, string Reconstruction, string Reference, string Metric, double? Base, double? New, bool Beyond)
{
    /// <summary>The null-spread rule it was judged by (null under bit-identity or a uniform tolerance).</summary>
    public string? Rule { get; init; }

    /// <summary>The largest |new − base| that rule allowed here (null for a verdict rule or an unjudged metric).</summary>
    public double? Allowance { get; init; }

    /// <summary>new − base (null when a side is missing).</summary>
    public double? Change => Base is double b && New is double n ? n - b : null;

    /// <summary>(new − base)/|base| (null when a side is missing; ±∞ from a base of 0).</summary>
    public double? RelativeChange => Change is double c ? (c == 0 ? 0 : c / Math.Abs(Base!.Value)) : null;
}

/// <summary>
/// One stored file whose numbers differ (or whose shape, fields or presence differ).
/// </summary>
/// <param name="Path">Relative to the results folder, e.g. <c>dsm-2d-two-blobs/seed-1/samples-generation.csv</c>.</param>
/// <param name="Values">Numbers compared.</param>
/// <param name="Beyond">Numbers beyond the tolerance.</param>
/// <param name="NotBitIdentical">Numbers whose bits differ (within tolerance or not).</param>
/// <param name="MaxAbsolute">Largest |new − base| over the compared numbers.</param>
/// <param name="MaxRelative">Largest |new − base|/|base| over the compared numbers.</param>
/// <param name="Where">Where the largest absolute difference is (row and column, or tensor and index).</param>
/// <param name="Problems">Differences that are not numbers: only on one side, other columns, rows or tensor shapes, a changed text field (a run's status, say).</param>
public sealed record FileChange(string Path, long Values, long Beyond, long NotBitIdentical, double MaxAbsolute, double MaxRelative, string? Where,
    IReadOnlyList<string> Problems);

/// <summary>A gate whose verdict differs between the sides, or that only one side gated.</summary>
/// <param name="Id">The gate instance, e.g. <c>dsm-2d-two-blobs/forward-backward/p-sigma/ks-statistic/seed-1</c>.</param>
/// <param name="Gate">Comparator and threshold as the new side (else the base) states them, e.g. <c>&lt;= 0.07</c>.</param>
public sealed record GateChange(string Id, string Gate, bool? BasePassed, bool? NewPassed, double? BaseValue, double? NewValue);

/// <summary>The tolerance a metric was judged by under the null-spread tolerances.</summary>
/// <param name="Metric">The metric name, as in <c>metrics.csv</c>.</param>
/// <param name="Rule">The rule (<see cref="NullSpreadTolerance"/>), e.g. <c>3 × null spread</c>.</param>
/// <param name="Smallest">The smallest allowance over its rows (per experiment and σ; null when the rule has none).</param>
/// <param name="Largest">The largest.</param>
public sealed record StatedTolerance(string Metric, string Rule, double? Smallest, double? Largest);
