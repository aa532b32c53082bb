using System.ComponentModel;
using System.Text.Json;
using Repro.Core.Evaluation;
using Repro.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro check [DIR] [EXPERIMENTS]</c>: re-evaluates every gate on stored results, without training or
/// sampling, for the seeds that have results; the others are listed as missing. Results made by other
/// code than this build are judged and named in a note (<see cref="OtherCode"/>). Exit 0 when every
/// gate of every seed passes, 1 when one fails, a seed has no results, or (with --strict) a result
/// was made by other code, 2 on a bad definition.
/// </summary>
public sealed class CheckCommand(Streams streams, IAnsiConsole console) : Command<CheckCommand.Settings>
{
    /// <summary>Arguments of <c>check</c>.</summary>
    public sealed class Settings : SeedResultsSettings
    {
        /// <summary>JUnit XML output.</summary>
        [CommandOption("--junit <FILE>")]
        [Description("Also write JUnit XML (one test case per gate and seed), a path relative to the current directory.")]
        public string? JUnit { get; init; }

        /// <summary>Show only the gates that fail.</summary>
        [CommandOption("--failures-only")]
        [Description("List only the failing gates (the summary still counts all).")]
        public bool FailuresOnly { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print the verdicts as JSON instead of a table.")]
        public bool Json { get; init; }

        /// <summary>Fail verdicts on results of other code.</summary>
        [CommandOption("--strict")]
        [Description("Exit 1 also when a verdict judges results made by other code than this build (run.json's code identity differs): they are not current. Without it they are judged and named in a note.")]
        public bool Strict { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        List<GateVerdict> verdicts;
        IReadOnlyList<string> errors, missing;
        IReadOnlyList<Results.MissingResultException> absent;
        IReadOnlyList<Core.Definitions.ExperimentDefinition> judged;
        IReadOnlyList<OtherCode.Seed> other;
        try
        {
            (var definitions, errors) = settings.Definitions();
            (var available, absent) = DefinitionLookup.Available(definitions, settings.Layout);
            missing = SuggestedCommand.MissingLines(absent, settings.Layout, settings.Directory, settings.ExperimentsDirectory);
            if (available.Count == 0 && errors.Count == 0)
                throw new Core.InputException(missing.FirstOrDefault() ?? $"{settings.ExperimentsDirectory}: no experiment definitions");
            verdicts = Verdicts(available, settings.Layout);
            judged = available;
            other = OtherCode.Of(available, settings.Layout);
        }
        catch (Core.InputException) when (settings.JUnit is { } stale && File.Exists(stale))
        {
            // Nothing judged: an older all-pass file must not survive at the path CI reads.
            File.Delete(stale);
            throw;
        }
        if (settings.JUnit is { } junit) GateJUnit.Write(junit, verdicts, judged, settings, absent, settings.Layout, settings.Strict);
        if (settings.Json)
        {
            var json = verdicts.Select(v => new
            {
                id = v.Id, experiment = v.Experiment, reconstruction = v.Gate.Reconstruction, reference = v.Gate.Reference,
                metric = v.Gate.Metric, seed = v.Seed, value = double.IsNaN(v.Value) ? (double?)null : v.Value,
                comparator = v.Gate.Comparator, threshold = v.Gate.Threshold, expect = v.Gate.ExpectsFailure ? "fail" : "pass", passed = v.Passed, judged = v.Judged, verdict = v.VerdictText,
                not_judged = v.NotJudged, reason = v.Gate.Reason, current = !OtherCode.Judges(v, other),
            });
            streams.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            var shown = settings.FailuresOnly ? verdicts.Where(v => v.Failed).ToList() : verdicts;
            if (console.Profile.Out.IsTerminal)
            {
                var table = new Table().AddColumns("gate", "value", "threshold", "verdict");
                foreach (var v in shown)
                    table.AddRow(Markup.Escape(v.Id), Markup.Escape(v.ValueText),
                        Markup.Escape(v.Gate.ThresholdText), !v.Judged ? "[grey]not judged[/]" : v.Passed ? $"[green]{v.VerdictText}[/]" : $"[red]{v.VerdictText}[/]");
                console.Write(table);
            }
            else
            {
                // Piped or redirected: one line per gate, never wrapped, for grep and CI logs.
                int width = shown.Select(v => v.Id.Length).DefaultIfEmpty(0).Max();
                int verdictWidth = shown.Max(v => v.VerdictText.Length as int?) ?? 4;
                foreach (var v in shown)
                    streams.Out.WriteLine(FormattableString.Invariant(
                        $"{v.VerdictText.PadRight(verdictWidth)}  {v.Id.PadRight(width)}  {v.ValueText,-12}  {v.Gate.ThresholdText}"));
            }
            streams.Out.WriteLine(Summary(verdicts) + OtherCode.Summary(OtherCode.Verdicts(verdicts, other), settings.Strict) + (absent.Count > 0
                ? $"; {absent.Count} seed(s) without results, not gated (exit 1 while a seed a definition lists has none: compute them as below{NarrowingHint(settings)})"
                : ""));
            if (verdicts.Any(v => !v.Judged)) streams.Out.WriteLine("not judged: " + GateEvaluator.QuickRule);
        }
        foreach (var seed in other) streams.Error.WriteLine(OtherCode.Note(seed, settings.Directory, settings.Quick, settings.ExperimentsDirectory));
        foreach (string d in DivergedLines(judged, settings.Layout, verdicts)) streams.Error.WriteLine(d);
        foreach (string m in missing) streams.Error.WriteLine("missing: " + m);
        foreach (string e in errors) streams.Error.WriteLine("error: " + e);
        return errors.Count > 0 ? ReproApp.BadInput
            : !verdicts.Any(v => v.Failed) && missing.Count == 0 && !(settings.Strict && other.Count > 0) ? ReproApp.Ok : ReproApp.GateFailed;
    }

    /// <summary>
    /// How the user could judge only what exists, by what they have not yet narrowed: naming the experiments and/or
    /// <c>--seed</c>; nothing when they gave both (the seeds they asked for are the ones missing).
    /// </summary>
    internal static string NarrowingHint(SeedResultsSettings settings)
    {
        var ways = new List<string>();
        if (settings.Requested.Count == 0) ways.Add("by naming the experiments");
        if (settings.SeedFilter.Count == 0) ways.Add("with --seed");
        return ways.Count == 0 ? "" : ", or judge only what exists " + string.Join(" or ", ways);
    }

    /// <summary>
    /// The count line of check, report and reproduce: <c>84/84 gates pass</c>, or on quick results
    /// <c>36/36 judged gates pass; 48 not judged at quick sizes</c>.
    /// </summary>
    internal static string Summary(IReadOnlyCollection<GateVerdict> verdicts)
    {
        int judged = verdicts.Count(v => v.Judged), passed = verdicts.Count(v => v.Judged && v.Passed);
        int controls = verdicts.Count(v => v.Judged && v.Passed && v.Gate.ExpectsFailure);
        string asExpected = controls == 0 ? "" : $" ({controls} of them controls failing as expected)";
        return judged == verdicts.Count
            ? $"{passed}/{verdicts.Count} gates pass{asExpected}"
            : $"{passed}/{judged} judged gates pass{asExpected}; {verdicts.Count - judged} not judged at quick sizes";
    }

    /// <summary>The stored run records of <paramref name="definition"/>'s seeds, by seed (seeds without one are left out).</summary>
    internal static IReadOnlyDictionary<long, RunRecord> Runs(Core.Definitions.ExperimentDefinition definition, ResultsLayout layout) =>
        definition.Seeds.Select(s => (Seed: s, Run: ResultsStore.ReadRun(layout.SeedFolder(definition.Name, s))))
            .Where(t => t.Run is not null).ToDictionary(t => t.Seed, t => t.Run!);

    /// <summary>
    /// One line per diverged seed of <paramref name="definitions"/>: <c>diverged: NAME seed S diverged in sampling X at step N:
    /// no metrics, so its K gate verdicts fail; rerun: …</c>.
    /// </summary>
    internal static IEnumerable<string> DivergedLines(IReadOnlyList<Core.Definitions.ExperimentDefinition> definitions, ResultsLayout layout, IReadOnlyList<GateVerdict> verdicts) =>
        definitions.SelectMany(d => Runs(d, layout).Where(r => r.Value.Divergence is not null).OrderBy(r => r.Key).Select(r =>
            $"diverged: {d.Name} seed {r.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)} {r.Value.Divergence}: no metrics, so its "
            + $"{verdicts.Count(v => v.Experiment == d.Name && v.Seed == r.Key && v.Diverged is not null)} per-seed gate verdict(s) fail"));

    /// <summary>Every gate of every definition on the stored results (missing results: <see cref="Core.InputException"/>).</summary>
    internal static List<GateVerdict> Verdicts(IReadOnlyList<Core.Definitions.ExperimentDefinition> definitions, ResultsLayout layout)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var definition in definitions)
        {
            var rows = ResultsStore.ReadMetrics(definition, layout, definition.Seeds);
            verdicts.AddRange(DivergedVerdicts.Mark(GateEvaluator.Evaluate(definition, definition.Seeds, rows, layout.Quick), Runs(definition, layout)));
        }
        return verdicts;
    }
}

/// <summary>Settings of <c>check</c> and <c>report</c>: stored results, optionally only some seeds.</summary>
public class SeedResultsSettings : ResultsSettings
{
    /// <summary>Only these seeds (repeatable, or comma-separated), as <c>run --seed</c> takes them.</summary>
    [CommandOption("--seed <N>")]
    [Description("Only these seeds of each experiment: --seed 1,2 or --seed 1 --seed 2 (default: every seed the definition lists).")]
    public string[] SeedText { get; init; } = [];

    /// <inheritdoc/>
    public override IReadOnlyList<long> SeedFilter => SeedText.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries))
        .Select(t => long.Parse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToArray();

    /// <inheritdoc/>
    public override ValidationResult Validate() =>
        SeedText.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries)).FirstOrDefault(t => !long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)) is { } bad
            ? ValidationResult.Error($"--seed: must be whole numbers ≥ 0, comma-separated or repeated (got \"{bad}\")")
            : ValidationResult.Success();
}

/// <summary>Settings of commands that read stored results (<c>check</c>, <c>report</c>, <c>reproduce</c>).</summary>
public class ResultsSettings : CommandSettings
{
    /// <summary>The folder of full results, and the separate one quick runs and quick reports use.</summary>
    public const string FullFolder = "reports", QuickFolder = "reports.quick";

    /// <summary>Results folder as given (null: <see cref="FullFolder"/>, or <see cref="QuickFolder"/> with --quick).</summary>
    [CommandArgument(0, "[DIR]")]
    [Description("Results folder (default: reports; with --quick: reports.quick).")]
    public string? DirectoryArgument { get; init; }

    /// <summary>Experiment names or definition files to read (default: every definition in --experiments).</summary>
    [CommandArgument(1, "[EXPERIMENTS]")]
    [Description("Only these experiments (names in --experiments, or definition files); default: all. A lone name in DIR's place is taken as a name. reproduce always runs all: for some, it prints the run and report commands instead.")]
    public string[] Names { get; init; } = [];

    /// <summary>Folder of definitions (the thresholds live there only).</summary>
    [CommandOption("--experiments <DIR>")]
    [Description("Folder of experiment definitions (default: experiments).")]
    public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

    /// <summary>Read quick-run results.</summary>
    [CommandOption("--quick")]
    [Description("Use the results of quick runs (quick-seed-S folders), kept apart in reports.quick by default.")]
    public bool Quick { get; init; }

    /// <summary>
    /// The results folder. A first argument that is no folder but names an experiment is taken as
    /// that name (<c>repro check dsm-2d-two-blobs</c>).
    /// </summary>
    public string Directory => DirectoryArgument is { } dir && !TakesNameAsDirectory ? dir : RepositoryFolders.Default(Quick ? QuickFolder : FullFolder);

    bool TakesNameAsDirectory => _takesName ??= DirectoryArgument is { } dir && DefinitionLookup.NamesExperiment(dir, ExperimentsDirectory);

    bool? _takesName;

    /// <summary>The experiments asked for (names, files), the first argument included when it names one.</summary>
    public IReadOnlyList<string> Requested => TakesNameAsDirectory ? [DirectoryArgument!, .. Names] : Names;

    /// <summary>How the stored results are laid out.</summary>
    public ResultsLayout Layout => new(Directory, Quick);

    /// <summary>The seeds asked for (empty: every seed each definition lists).</summary>
    public virtual IReadOnlyList<long> SeedFilter => [];

    /// <summary>
    /// The definitions asked for (names, files), each narrowed to <see cref="SeedFilter"/>, and one error line per
    /// bad definition file met on the way (an unnamed folder is read file by file).
    /// </summary>
    /// <exception cref="Core.InputException">A seed of <see cref="SeedFilter"/> that none of the definitions lists.</exception>
    public (IReadOnlyList<Core.Definitions.ExperimentDefinition> Definitions, IReadOnlyList<string> Errors) Definitions()
    {
        var (definitions, errors) = Requested.Count == 0
            ? DefinitionLookup.LoadEach(ExperimentsDirectory)
            : (Requested.SelectMany(n => DefinitionLookup.Find(n, ExperimentsDirectory)).ToArray(), []);
        var only = SeedFilter;
        if (only.Count == 0) return (definitions, errors);
        var unknown = only.Where(s => !definitions.Any(d => d.Seeds.Contains(s))).ToArray();
        if (unknown.Length > 0)
            throw new Core.InputException($"--seed: seed {string.Join(", ", unknown)} is listed by none of the experiments asked for ("
                + string.Join("; ", definitions.Select(d => $"{d.Name}: {string.Join(", ", d.Seeds)}")) + "); reports and gates read only a definition's \"seeds\"");
        return (definitions.Where(d => d.Seeds.Any(only.Contains)).Select(d => d with { Seeds = d.Seeds.Where(only.Contains).ToArray() }).ToArray(), errors);
    }

    /// <summary>
    /// Refuses to put a quick report where a full one lives (a quick report of one experiment once
    /// replaced the published REPORT.md).
    /// </summary>
    public void RefuseQuickOverFull()
    {
        if (!Quick || !System.IO.Directory.Exists(Directory)) return;
        bool full = System.IO.Directory.EnumerateDirectories(Directory).Any(e =>
            System.IO.Directory.Exists(e) && System.IO.Directory.EnumerateDirectories(e, "seed-*").Any());
        if (full)
            throw new Core.InputException($"{Directory}: holds full results; a quick report would replace its REPORT.md (quick results and reports go to {QuickFolder}, the default with --quick)");
    }

    /// <summary>The repository the definitions belong to (the report names its commit): the nearest folder above the current one, else above the definitions, that holds .git.</summary>
    public string RepositoryRoot => RepositoryRootOf(System.IO.Directory.GetCurrentDirectory())
        ?? RepositoryRootOf(Path.GetFullPath(ExperimentsDirectory)) ?? Path.GetFullPath(".");

    internal static string? RepositoryRootOf(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return null;
    }
}
