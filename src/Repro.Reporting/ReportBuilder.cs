using System.Globalization;
using System.Text.Json;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Reporting.Model;
using Repro.Results;

namespace Repro.Reporting;

/// <summary>
/// Writes <c>reports/REPORT.md</c> (summary, claims table, environment), one page per experiment
/// with its figures, each experiment's aggregate <c>metrics.csv</c> and <c>results.json</c>, from
/// stored results only. Every file is written atomically.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Builds the whole report; returns every gate verdict.</summary>
    /// <param name="definitions">The experiments to report, each with the seeds that have results.</param>
    /// <param name="layout">Where the results are.</param>
    /// <param name="repositoryRoot">The repository whose commit the page names.</param>
    /// <param name="missing">Results that were asked for but are absent, one line each, listed on the page.</param>
    /// <param name="suggestRun">The command the pages name for absent sweep variants (null: <see cref="RunSuggestions.Default"/>).</param>
    public static IReadOnlyList<GateVerdict> Build(IReadOnlyList<ExperimentDefinition> definitions, ResultsLayout layout, string repositoryRoot,
        IReadOnlyList<string>? missing = null, RunSuggestion? suggestRun = null)
    {
        var results = definitions.Select(d => ExperimentResults.Load(d, layout)).ToArray();
        foreach (var r in results)
        {
            var page = ExperimentPage.Build(r, suggestRun ?? RunSuggestions.Default(layout));
            AtomicFile.WriteText(Path.Combine(layout.OutputRoot, page.RelativePath), MarkdownWriter.Render(page));
            var gateOf = r.Verdicts.ToLookup(v => (v.Gate.Reconstruction, v.Gate.Reference, v.Gate.Metric));
            MetricsCsv.Write(Path.Combine(r.Folder, "metrics.csv"), r.Rows, row =>
            {
                var v = gateOf[(row.Reconstruction, row.Reference, row.Metric)].FirstOrDefault(g => g.Seed == row.Seed || g.Seed is null);
                return v is null ? ("", "") : ($"{(v.Gate.ExpectsFailure ? "must miss " : "")}{v.Gate.Comparator} {v.Gate.Threshold.ToString("R", CultureInfo.InvariantCulture)}", v.Passed ? "true" : "false");
            });
        }
        var byName = results.ToDictionary(r => r.Definition.Name);
        var claims = SeedReportClaims.Judge(byName);
        var verdicts = results.SelectMany(r => r.Verdicts).ToArray();
        var calibration = CalibrationStore.Read(layout.OutputRoot);
        var main = MainPage(results, claims, verdicts, calibration, repositoryRoot, missing ?? []);
        AtomicFile.WriteText(Path.Combine(layout.OutputRoot, main.RelativePath), MarkdownWriter.Render(main));
        WriteJson(Path.Combine(layout.OutputRoot, "results.json"), results, claims, verdicts, calibration);
        return verdicts;
    }

    static Page MainPage(IReadOnlyList<ExperimentResults> results, IReadOnlyList<Claim> claims, IReadOnlyList<GateVerdict> verdicts,
        Core.Calibration.CalibrationResult? calibration, string root, IReadOnlyList<string> missing)
    {
        int failed = verdicts.Count(v => v.Failed), judged = verdicts.Count(v => v.Judged);
        var blocks = new List<Block>
        {
            new Heading(1, "Repro: denoising score matching, reproduced and checked"),
            new Paragraph("This report re-runs the experiments of the student report *Reconstructing Ancient Life through Molecular Diffusion Models* (DSM on toy data, sampled back with Langevin dynamics) and judges every learned score and every sample against exact ground truth: the target p₀, and p_σ = p₀ ∗ N(0, σ²I), the law that DSM at noise σ actually learns and that a single-σ Langevin sampler actually samples. Each metric stands beside its null baseline (a fresh exact sample of the same size). Regenerate with `make reproduce`; re-check the gates with `repro check`."),
            new Paragraph((failed == 0
                    ? judged == verdicts.Count ? $"**All {verdicts.Count} gates pass.**" : $"**All {judged} judged gates pass.**"
                    : judged == verdicts.Count ? $"**{failed} of {verdicts.Count} gates fail.**" : $"**{failed} of {judged} judged gates fail.**")
                + (judged == verdicts.Count ? "" : $" {verdicts.Count - judged} not judged: {GateEvaluator.QuickRule}.")),
            new Heading(2, "The seed report's claims"),
            new Model.Table(["#", "claim", "measured (mean ± 95% interval over seeds)", "verdict", "evidence"],
                claims.Select(c => (IReadOnlyList<string>)[c.Number.ToString(CultureInfo.InvariantCulture), c.Text, c.Measured, c.Verdict, c.Evidence]).ToArray()),
            new Heading(2, "Summary of gates"),
            new Paragraph("One row per gate: the gated metric's mean ± 95% interval over training seeds (for a p-value gate: the p-value of each seed in seed order, their minimum and how many fall below the threshold; p-values are never averaged), its null baseline (the same metric for a fresh exact sample), the threshold from the definition, and how many seeds pass. A replicate is a training seed: new data, initialisation and training noise, with its own sampling streams; results are never the best of k."),
            new Paragraph("What a failure means: the gates share one 1% family-wise budget for a correct full run (see *Calibration of the gates* below, simulated by `make calibrate`). P-value gates on exact-score reconstructions are true-null tests at their share; gates on learned outputs are tolerance gates, which fail only when the data show an error larger than their stated allowance."),
            new Model.Table(["experiment", "reconstruction", "reference", "metric", "value", "null baseline", "gate", "seeds passing"],
                results.SelectMany(r => r.Definition.Gates.Select(g =>
                {
                    var mine = r.Verdicts.Where(v => v.Gate == g).ToArray();
                    // A p-value gate shows its per-seed values, minimum and count below the threshold; a value gate mean ± 95% interval.
                    double? threshold = PValueSummary.IsPValue(g.Metric) ? g.Threshold : null;
                    string nullBaseline = g.Reconstruction == MetricNames.TrainingReconstruction ? "—" : r.Summary(g.Reconstruction, "null-" + g.Reference, g.Metric, threshold);
                    return (IReadOnlyList<string>)
                    [
                        $"[{r.Definition.Name}]({r.Definition.Name}/README.md)", g.Reconstruction, g.Reference, g.Metric,
                        r.Summary(g.Reconstruction, g.Reference, g.Metric, threshold), nullBaseline,
                        g.ThresholdText,
                        mine.Length > 0 && mine.All(v => !v.Judged) ? "not judged (quick)"
                            : $"{mine.Count(v => v.Judged && v.Passed)}/{mine.Count(v => v.Judged)}{(g.ExpectsFailure ? " fail as expected (a control)" : "")}{(mine.Any(v => v.Failed) ? " **FAIL**" : "")}",
                    ];
                })).ToArray(),
                "Thresholds and their reasons live in the experiment definitions; each experiment page lists every verdict per seed."),
            new Heading(2, "Experiments"),
            new BulletList(results.Select(r => $"[{r.Definition.Name}]({r.Definition.Name}/README.md): {r.Definition.Reproduces}").ToArray()),
            new Heading(2, "Environment"),
            new CodeBlock(Environment(results, root)),
        };
        blocks.InsertRange(blocks.FindIndex(b => b is Heading { Text: "Experiments" }), CalibrationSection.Build(calibration));
        if (missing.Count > 0)
            blocks.InsertRange(3,
            [
                new Paragraph("**Not reported: seeds without finished, current results** (the gates and figures below use the seeds that have them; each line names the seeds and the command that computes them):"),
                new BulletList(missing),
            ]);
        return new Page("REPORT.md", blocks);
    }

    static string Environment(IReadOnlyList<ExperimentResults> results, string root)
    {
        var lines = new List<string>
        {
            $"commit      {Commit(root)}",
            $".NET        {System.Environment.Version}",
            $"packages    {results.SelectMany(r => r.Runs).Select(r => r.Versions).FirstOrDefault() ?? "?"}",
            $"threads     {string.Join(", ", results.SelectMany(r => r.Runs).Select(r => r.Threads).Distinct())}",
            $"mode        {(results.Any(r => r.Layout.Quick) ? "quick" : "full")}",
        };
        foreach (var r in results)
            lines.Add($"{r.Definition.Name,-22} seeds {string.Join(",", r.Definition.Seeds)}  wall time {r.Runs.Sum(x => x.Seconds):F1} s");
        return string.Join("\n", lines);
    }

    /// <summary>The checked-out commit, read from .git without running git.</summary>
    public static string Commit(string root)
    {
        try
        {
            string git = Path.Combine(root, ".git");
            if (File.Exists(git)) git = Path.GetFullPath(Path.Combine(root, File.ReadAllText(git).Trim()["gitdir:".Length..].Trim()));
            string head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            string reference = head[5..];
            string loose = Path.Combine(git, reference);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
            string packed = Path.Combine(git, "packed-refs");
            if (File.Exists(packed))
                foreach (string line in File.ReadLines(packed))
                    if (line.EndsWith(" " + reference, StringComparison.Ordinal)) return line[..40];
            return "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    static void WriteJson(string path, IReadOnlyList<ExperimentResults> results, IReadOnlyList<Claim> claims, IReadOnlyList<GateVerdict> verdicts,
        Core.Calibration.CalibrationResult? calibration)
    {
        var document = new
        {
            passed = !verdicts.Any(v => v.Failed),
            gates = verdicts.Select(v => new
            {
                id = v.Id, experiment = v.Experiment, reconstruction = v.Gate.Reconstruction, reference = v.Gate.Reference, metric = v.Gate.Metric,
                seed = v.Seed, value = double.IsFinite(v.Value) ? v.Value : (double?)null, comparator = v.Gate.Comparator, threshold = v.Gate.Threshold,
                expect = v.Gate.ExpectsFailure ? "fail" : "pass", passed = v.Passed, judged = v.Judged, verdict = v.VerdictText, not_judged = v.NotJudged, reason = v.Gate.Reason,
            }),
            claims = claims.Select(c => new { number = c.Number, claim = c.Text, measured = c.Measured, verdict = c.Verdict }),
            // The stored calibration as repro calibrate wrote it (commit, seed, sizes, per-gate nulls, power table).
            calibration,
            // Sweep variants' rows too: their experiment is named BASE/sweep/PARAM-VALUE.
            metrics = results.SelectMany(r => r.Rows.Concat(r.Sweep.SelectMany(v => v.Results.Rows))).Select(m => new
            {
                experiment = m.Experiment, seed = m.Seed, reconstruction = m.Reconstruction, reference = m.Reference, metric = m.Metric,
                value = double.IsFinite(m.Value) ? m.Value : (double?)null,
            }),
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }) + "\n");
    }
}
