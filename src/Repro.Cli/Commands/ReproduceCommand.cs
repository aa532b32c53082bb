using System.ComponentModel;
using Repro.Core.Definitions;
using Repro.Reporting;
using Repro.Reporting.Diff;
using Repro.Results;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro reproduce</c>: what <c>make reproduce</c> runs. Every experiment is run (a seed the local
/// cache holds under the same identity is restored from it; nothing is reused from the results folder
/// itself, which is the published baseline), the report rebuilt and the gates checked in a staging copy of the results folder,
/// which replaces the folder only when all of that has finished: an interrupted or refused run
/// leaves the previous report whole. Exits like <c>repro check</c>: 0 all gates pass, 1 a gate
/// failed (or a run diverged), 2 bad input.
/// </summary>
public sealed class ReproduceCommand(Streams streams, IAnsiConsole console) : Command<ReproduceCommand.Settings>
{
    /// <summary>Arguments of <c>reproduce</c>.</summary>
    public sealed class Settings : ResultsSettings
    {
        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1).")]
        public int Threads { get; init; } = 1;

        /// <summary>Worker processes.</summary>
        [CommandOption("--jobs <N>")]
        [Description("Units computed at once, each in a worker process with its own --threads (default: the number of cores); results are bit-identical to --jobs 1.")]
        public int Jobs { get; init; } = Environment.ProcessorCount;

        /// <summary>JUnit file, relative to the current directory like <c>check --junit</c> (null: junit.xml inside the results folder).</summary>
        [CommandOption("--junit <FILE>")]
        [Description("JUnit XML of the gates, a path relative to the current directory as for check (default: DIR/junit.xml).")]
        public string? JUnitArgument { get; init; }

        /// <summary>The JUnit file: <c>--junit</c>, else <c>junit.xml</c> inside the results folder.</summary>
        public string JUnit => JUnitArgument ?? Path.Combine(Directory, "junit.xml");

        /// <summary>Compute every seed even when the local cache holds it.</summary>
        [CommandOption("--recompute")]
        [Description("Compute every seed even when the local cache holds it (the computed seed replaces the cache entry).")]
        public bool Recompute { get; init; }

        /// <summary>No local cache at all.</summary>
        [CommandOption("--no-cache")]
        [Description("Neither read nor write the local cache (.repro-cache beside the results folder): every seed is computed and nothing is kept for the next run.")]
        public bool NoCache { get; init; }

        /// <summary>The local cache's folder.</summary>
        [CommandOption("--cache <DIR>")]
        [Description("Folder of the local cache of finished seeds (default: .repro-cache beside the results folder).")]
        public string? CacheArgument { get; init; }

        /// <summary>The local cache of finished seeds (beside the results folder, never inside it: the folder is replaced whole), or null with --no-cache.</summary>
        public SeedCache? Cache => NoCache ? null : CacheArgument is { } c ? new SeedCache(c) : SeedCache.Beside(Directory);

        /// <summary>The revision whose committed results folder the fresh results are diffed against.</summary>
        [CommandOption("--baseline <REV>")]
        [Description("Diff the new results against the results folder as committed at this git revision (default: HEAD; none: no diff).")]
        public string Baseline { get; init; } = "HEAD";

        /// <summary>A difference from the baseline fails the run.</summary>
        [CommandOption("--strict")]
        [Description("Exit 1 when the results differ from the committed baseline (default: the difference is printed, the exit is check's).")]
        public bool Strict { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Threads < 1 ? ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})")
            : Jobs < 1 ? ValidationResult.Error($"--jobs: must be ≥ 1 (got {Jobs})")
            : JUnitArgument is { } j && (j.Length == 0 || j.EndsWith('/') || System.IO.Directory.Exists(j)) ? ValidationResult.Error($"--junit: must be a file path (got \"{j}\")")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Every definition is read and validated before anything is touched.
        if (settings.Requested.Count > 0)
        {
            string quick = (settings.Quick ? " --quick" : "")
                + (settings.ExperimentsDirectory != "experiments" ? " --experiments " + SuggestedCommand.Quote(settings.ExperimentsDirectory) : "");
            string names = string.Join(" ", settings.Requested.Select(SuggestedCommand.Quote));
            throw new Core.InputException($"{settings.Requested[0]}: reproduce runs every experiment of {settings.ExperimentsDirectory}; for some, run "
                + $"`{SuggestedCommand.Program} run {names} --out {SuggestedCommand.Quote(settings.Directory)}{quick}` then `{SuggestedCommand.Program} report {SuggestedCommand.Quote(settings.Directory)} {names}{quick}`");
        }
        settings.RefuseQuickOverFull();
        // The JUnit file by check's rule (relative to the current directory); inside the results folder it is staged with it.
        string junit = Path.GetFullPath(settings.JUnit);
        string junitInFolder = Path.GetRelativePath(Path.GetFullPath(settings.Directory), junit);
        bool junitStaged = !junitInFolder.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(junitInFolder);
        IReadOnlyList<ExperimentDefinition> definitions;
        try
        {
            definitions = ExperimentDefinition.LoadAll(settings.ExperimentsDirectory);
        }
        catch (Core.InputException) when (!junitStaged && File.Exists(junit))
        {
            // Nothing judged: an older all-pass file must not survive at the path CI reads (as check does).
            File.Delete(junit);
            throw;
        }
        // One writer: the lock covers the staging copy, the swap and the folder; a second run stops here.
        using var writer = ResultsLock.Acquire(settings.Directory, "reproduce");
        string staging = StagedFolder.Begin(settings.Directory);
        try
        {
            var options = new RunOptions(staging, settings.Threads, settings.Quick, settings.Recompute) { Cache = settings.Cache };
            var units = Runs.Plan.RunPlan.Of(definitions, null, sweep: true, settings.Quick).Units;
            int jobs = Math.Min(settings.Jobs, units.Count);
            string[] selection = settings.Quick ? ["--experiments", settings.ExperimentsDirectory, "--quick"] : ["--experiments", settings.ExperimentsDirectory];
            int run = jobs > 1
                ? ParallelRun.Run(units, selection, options, jobs, streams)
                : RunCommand.RunAll(units, options, console, streams);
            string root = settings.RepositoryRoot;
            var verdicts = ReportBuilder.Build(definitions, options.Layout, root);
            if (junitStaged) GateJUnit.Write(Path.Combine(staging, junitInFolder), verdicts, definitions, settings, [], options.Layout, strict: false);
            StagedFolder.Commit(settings.Directory);
            if (!junitStaged) GateJUnit.Write(junit, verdicts, definitions, settings, [], settings.Layout, strict: false);
            streams.Out.WriteLine($"wrote {Path.Combine(settings.Directory, "REPORT.md")}: {CheckCommand.Summary(verdicts)}");
            if (verdicts.Any(v => !v.Judged)) streams.Out.WriteLine("not judged: " + Core.Evaluation.GateEvaluator.QuickRule);
            foreach (var v in verdicts.Where(v => v.Failed)) streams.Error.WriteLine($"gate failed: {v.Id}: {v.Message}");
            int exit = verdicts.Any(v => v.Failed) ? ReproApp.GateFailed : run;
            int baseline = settings.Baseline == "none" ? ReproApp.Ok : DiffAgainstBaseline(settings.Directory, settings.Baseline, streams);
            return settings.Strict ? Math.Max(exit, baseline) : exit;
        }
        catch
        {
            StagedFolder.Abandon(settings.Directory);
            throw;
        }
    }

    /// <summary>
    /// Diffs <paramref name="folder"/> (just swapped in) against the same folder as committed at
    /// <paramref name="revision"/>, read from git rather than the working tree, and prints the summary.
    /// Returns 0 when bit-identical or when there is no committed baseline, 1 when something differs,
    /// 2 when the committed baseline cannot be read.
    /// </summary>
    internal static int DiffAgainstBaseline(string folder, string revision, Streams streams)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string? root = ResultsSettings.RepositoryRootOf(full);
        string relative = root is null ? "" : Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
        if (root is null || relative.StartsWith("..", StringComparison.Ordinal) || relative == ".")
        {
            streams.Out.WriteLine($"baseline: {folder} is not inside a git checkout; no committed baseline to diff against");
            return ReproApp.Ok;
        }
        if (!CommittedResults.HasCommitted(root, revision, relative))
        {
            streams.Out.WriteLine($"baseline: {revision} has no committed {relative}/; no baseline to diff against (commit these results to make one)");
            return ReproApp.Ok;
        }
        try
        {
            using var committed = CommittedResults.FromRevision(root, revision, relative, revision);
            string label = $"the committed baseline ({revision}:{relative} {committed.Commit![..7]})";
            var result = ResultsDiff.Compare(committed.Folder, folder, DiffTolerance.Exact, label, folder);
            streams.Out.Write(DiffRendering.Text(result, limit: 10));
            return result.Identical ? ReproApp.Ok : ReproApp.GateFailed;
        }
        catch (Core.InputException e)
        {
            streams.Error.WriteLine($"error: baseline diff not made: {e.Message}");
            return ReproApp.BadInput;
        }
    }
}
