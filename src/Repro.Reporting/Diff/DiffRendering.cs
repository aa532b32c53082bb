using System.Globalization;
using System.Text;
using System.Text.Json;
using Repro.Reporting.Model;

namespace Repro.Reporting.Diff;

/// <summary>
/// The forms of a <see cref="DiffResult"/>: a short text for the terminal (a summary line, then the
/// largest differences), a Markdown page (e.g. for a pull-request comment) and JSON listing everything.
/// </summary>
public static class DiffRendering
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The one-line verdict, e.g. "bit-identical to HEAD:reports: 28 seeds, 1,234 metric values, …".
    /// </summary>
    public static string Summary(DiffResult d)
    {
        string counts = $"{d.Seeds.Count:N0} seeds, {d.MetricValues:N0} metric values, {d.FileValues:N0} other numbers in {d.Files:N0} files"
            + (d.GateVerdicts > 0 ? $", {d.GateVerdicts:N0} gate verdicts" : "");
        if (d.BitIdentical) return string.Create(Invariant, $"bit-identical to {d.BaseFolder}: {counts}");
        if (d.Identical)
        {
            long moved = d.Metrics.Count + d.FileChanges.Sum(f => f.NotBitIdentical);
            return string.Create(Invariant, $"identical to {d.BaseFolder} within {ToleranceText(d.Tolerance)}: {counts}; {moved:N0} numbers moved within tolerance");
        }
        var parts = new List<string>();
        if (d.MetricsBeyond > 0) parts.Add(string.Create(Invariant, $"{d.MetricsBeyond:N0} of {d.MetricValues:N0} metric values"));
        long beyond = d.FileChanges.Sum(f => f.Beyond);
        if (beyond > 0) parts.Add(string.Create(Invariant, $"{beyond:N0} of {d.FileValues:N0} other numbers"));
        int shaped = d.FileChanges.Count(f => f.Problems.Count > 0);
        if (shaped > 0) parts.Add(string.Create(Invariant, $"{shaped:N0} files differ in shape, fields or presence"));
        int flipped = d.Gates.Count(g => g.BasePassed is not null && g.NewPassed is not null);
        if (flipped > 0) parts.Add(string.Create(Invariant, $"{flipped:N0} gate verdicts flipped"));
        if (d.Gates.Count > flipped) parts.Add(string.Create(Invariant, $"{d.Gates.Count - flipped:N0} gates on one side only"));
        if (d.OnlyInBase.Count > 0) parts.Add(string.Create(Invariant, $"{d.OnlyInBase.Count:N0} seeds only in {d.BaseFolder}"));
        if (d.OnlyInNew.Count > 0) parts.Add(string.Create(Invariant, $"{d.OnlyInNew.Count:N0} seeds only in {d.NewFolder}"));
        int affected = d.Metrics.Where(m => m.Beyond).Select(m => (m.Experiment, m.Seed)).Distinct().Count();
        return $"differs from {d.BaseFolder} beyond {ToleranceText(d.Tolerance)}: {string.Join(", ", parts)}"
            + (affected > 0 ? string.Create(Invariant, $" (metrics move in {affected} of {d.Seeds.Count} seeds)") : "");
    }

    /// <summary>"bit-identity", "the null-spread tolerances" or "rtol R, atol A".</summary>
    public static string ToleranceText(DiffTolerance t) =>
        t.IsExact ? "bit-identity"
        : t.NullSpread ? "the null-spread tolerances"
        : string.Create(Invariant, $"rtol {t.Relative:G3}, atol {t.Absolute:G3}");

    /// <summary>One line per metric and rule: "ks-statistic: 3 × null spread, |Δ| ≤ 0.0123 … 0.0456".</summary>
    static string[] ToleranceLines(DiffResult d) => d.Tolerances.Select(t => t.Metric + ": " + t.Rule + t switch
    {
        { Smallest: double a, Largest: double b } when a == b => string.Create(Invariant, $", |Δ| ≤ {a:G3}"),
        { Smallest: double a, Largest: double b } => string.Create(Invariant, $", |Δ| ≤ {a:G3} … {b:G3} over its rows"),
        _ => "",
    }).ToArray();

    /// <summary>Terminal text: the summary line, then at most <paramref name="limit"/> rows per kind of difference.</summary>
    public static string Text(DiffResult d, int limit = 20)
    {
        var sb = new StringBuilder();
        sb.Append(Summary(d)).Append('\n');
        void List(string title, IReadOnlyList<string> lines)
        {
            if (lines.Count == 0) return;
            sb.Append('\n').Append(title).Append(string.Create(Invariant, $" ({lines.Count:N0})")).Append(":\n");
            foreach (string line in lines.Take(limit)) sb.Append("  ").Append(line).Append('\n');
            if (lines.Count > limit) sb.Append(string.Create(Invariant, $"  … {lines.Count - limit:N0} more (--json lists all)\n"));
        }
        List($"seeds only in {d.BaseFolder}", d.OnlyInBase);
        List($"seeds only in {d.NewFolder}", d.OnlyInNew);
        List("gate verdicts that changed", d.Gates.Select(g =>
            $"{g.Id}  {Verdict(g.BasePassed)} → {Verdict(g.NewPassed)}  value {Number(g.BaseValue)} → {Number(g.NewValue)}  ({g.Gate})").ToArray());
        var metricRows = d.Metrics.Select(MetricCells).ToArray();
        if (metricRows.Length > 0)
        {
            string[] header = ["metric", "base", "new", "change", "relative", ""];
            var shown = metricRows.Take(limit).Prepend(header).ToArray();
            int[] widths = Enumerable.Range(0, header.Length).Select(k => shown.Max(r => r[k].Length)).ToArray();
            sb.Append('\n').Append(string.Create(Invariant, $"metric values that changed ({metricRows.Length:N0}, largest relative change first):\n"));
            foreach (var row in shown)
                sb.Append("  ").Append(string.Join("  ", row.Select((c, k) => k == 0 ? c.PadRight(widths[k]) : c.PadLeft(widths[k]))).TrimEnd()).Append('\n');
            if (metricRows.Length > limit) sb.Append(string.Create(Invariant, $"  … {metricRows.Length - limit:N0} more (--json lists all)\n"));
        }
        List("files whose numbers changed", d.FileChanges.Select(FileLine).ToArray());
        if (d.Tolerances.Count > 0)
        {
            // The stated tolerance of every metric compared, all of them: this is what "within" meant.
            sb.Append('\n').Append(string.Create(Invariant, $"tolerances by metric ({NullSpreadTolerance.Multiple} × the base's null spread of that metric for that experiment and σ; p-values by their verdict; files through their metrics):\n"));
            foreach (string line in ToleranceLines(d)) sb.Append("  ").Append(line).Append('\n');
        }
        List("notes", d.Notes);
        return sb.ToString();
    }

    /// <summary>A Markdown page: the summary, then tables of at most <paramref name="limit"/> rows per kind of difference.</summary>
    public static string Markdown(DiffResult d, int limit = 50)
    {
        var blocks = new List<Block>
        {
            new Heading(2, $"repro diff {d.BaseFolder} {d.NewFolder}"),
            new Paragraph((d.Identical ? "**" : "**Differs:** ") + Escape(Summary(d)) + (d.Identical ? "**" : "")),
        };
        string? More(int count) => count > limit ? string.Create(Invariant, $"{limit} of {count:N0} shown; `repro diff --json` lists all.") : null;
        if (d.OnlyInBase.Count + d.OnlyInNew.Count > 0)
            blocks.Add(new BulletList(d.OnlyInBase.Select(s => $"only in {d.BaseFolder}: `{s}`").Concat(d.OnlyInNew.Select(s => $"only in {d.NewFolder}: `{s}`")).ToArray()));
        if (d.Gates.Count > 0)
            blocks.Add(new Table(["gate", "base", "new", "value (base → new)", "threshold"],
                d.Gates.Take(limit).Select(g => (IReadOnlyList<string>)[$"`{g.Id}`", Verdict(g.BasePassed), Verdict(g.NewPassed), $"{Number(g.BaseValue)} → {Number(g.NewValue)}", g.Gate]).ToArray(),
                More(d.Gates.Count)));
        if (d.Metrics.Count > 0)
            blocks.Add(new Table(["metric", "base", "new", "change", "relative", "beyond tolerance"],
                d.Metrics.Take(limit).Select(m => (IReadOnlyList<string>)[.. MetricCells(m)[..5], m.Beyond ? "yes" : "no"]).ToArray(),
                More(d.Metrics.Count)));
        if (d.FileChanges.Count > 0)
            blocks.Add(new Table(["file", "numbers differing", "beyond tolerance", "max abs. change", "where", "other differences"],
                d.FileChanges.Take(limit).Select(f => (IReadOnlyList<string>)
                [
                    $"`{f.Path}`", string.Create(Invariant, $"{f.NotBitIdentical:N0} of {f.Values:N0}"), f.Beyond.ToString("N0", Invariant),
                    f.NotBitIdentical > 0 ? Number(f.MaxAbsolute) : "", f.Where ?? "", Escape(string.Join("; ", f.Problems)),
                ]).ToArray(),
                More(d.FileChanges.Count)));
        if (d.Tolerances.Count > 0)
            blocks.Add(new Table(["metric", "rule", "allowed |Δ|"],
                d.Tolerances.Select(t => (IReadOnlyList<string>)[$"`{t.Metric}`", t.Rule,
                    t.Smallest is double a && t.Largest is double b ? (a == b ? Number(a) : $"{Number(a)} … {Number(b)}") : ""]).ToArray(),
                string.Create(Invariant, $"Tolerances: {NullSpreadTolerance.Multiple} × the base's null spread of each metric (per experiment and σ); p-values by their verdict at α = {NullSpreadTolerance.Alpha}; stored files through their metrics.")));
        if (d.Notes.Count > 0) blocks.Add(new BulletList(d.Notes.Select(Escape).ToArray()));
        return MarkdownWriter.Render(new Page("diff.md", blocks));
    }

    /// <summary>Everything as JSON (numbers that are NaN or infinite as their names).</summary>
    public static string Json(DiffResult d)
    {
        var document = new
        {
            @base = d.BaseFolder, @new = d.NewFolder,
            identical = d.Identical, bitIdentical = d.BitIdentical, summary = Summary(d),
            tolerance = new { rtol = d.Tolerance.Relative, atol = d.Tolerance.Absolute, nullSpread = d.Tolerance.NullSpread },
            tolerances = d.Tolerances.Select(t => new { metric = t.Metric, rule = t.Rule, smallest = t.Smallest, largest = t.Largest }),
            seeds = new { compared = d.Seeds.Count, onlyInBase = d.OnlyInBase, onlyInNew = d.OnlyInNew },
            metricValues = d.MetricValues, fileValues = d.FileValues, files = d.Files, gateVerdicts = d.GateVerdicts,
            metrics = d.Metrics.Select(m => new
            {
                experiment = m.Experiment, seed = m.Seed, reconstruction = m.Reconstruction, reference = m.Reference, metric = m.Metric,
                @base = m.Base, @new = m.New, change = m.Change, relativeChange = m.RelativeChange, beyondTolerance = m.Beyond,
                rule = m.Rule, allowance = m.Allowance,
            }),
            fileChanges = d.FileChanges.Select(f => new
            {
                path = f.Path, values = f.Values, notBitIdentical = f.NotBitIdentical, beyondTolerance = f.Beyond,
                maxAbsoluteChange = f.MaxAbsolute, maxRelativeChange = f.MaxRelative, where = f.Where, problems = f.Problems,
            }),
            gates = d.Gates.Select(g => new { id = g.Id, gate = g.Gate, basePassed = g.BasePassed, newPassed = g.NewPassed, baseValue = g.BaseValue, newValue = g.NewValue }),
            notes = d.Notes,
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
    }

    static string[] MetricCells(MetricChange m) =>
    [
        $"{m.Experiment}/seed-{m.Seed}/{m.Reconstruction}/{m.Reference}/{m.Metric}",
        Number(m.Base), Number(m.New),
        m.Change is double c ? c.ToString("+0.###E+0;-0.###E+0;0", Invariant) : "",
        m.RelativeChange is double r ? (double.IsFinite(r) ? r.ToString("+0.##%;-0.##%;0%", Invariant) : "∞") : "",
        (m.Beyond ? "beyond" : "within") + (m.Rule is { } rule ? $" ({rule}{(m.Allowance is double a ? ", ≤ " + Number(a) : "")})" : ""),
    ];

    static string FileLine(FileChange f)
    {
        var parts = new List<string>();
        if (f.NotBitIdentical > 0)
            parts.Add(string.Create(Invariant, $"{f.NotBitIdentical:N0} of {f.Values:N0} numbers differ ({f.Beyond:N0} beyond tolerance), max |Δ| {Number(f.MaxAbsolute)} at {f.Where}"));
        parts.AddRange(f.Problems);
        return $"{f.Path}: {string.Join("; ", parts)}";
    }

    static string Verdict(bool? passed) => passed switch { true => "pass", false => "FAIL", null => "absent" };

    static string Number(double? v) => v switch
    {
        null => "—",
        double x when double.IsNaN(x) => "NaN",
        double x => x.ToString("G9", Invariant),
    };

    static string Escape(string text) => text.Replace("*", "\\*").Replace("_", "\\_");
}
