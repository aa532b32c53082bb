using System.ComponentModel;
using Repro.Core.Definitions;
using Repro.Reporting;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro reproduce</c>: what <c>make reproduce</c> runs. Every experiment is run (finished seeds
/// reused), the report rebuilt and the gates checked in a staging copy of the results folder,
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

        /// <summary>JUnit file name inside the results folder.</summary>
        [CommandOption("--junit <NAME>")]
        [Description("JUnit XML of the gates, written inside the results folder (default: junit.xml).")]
        public string JUnit { get; init; } = "junit.xml";

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Threads < 1 ? ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})")
            : JUnit.Length == 0 || Path.GetFileName(JUnit) != JUnit ? ValidationResult.Error($"--junit: must be a file name (got \"{JUnit}\")")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Every definition is read and validated before anything is touched.
        if (settings.Requested.Count > 0)
            throw new Core.InputException($"{settings.Requested[0]}: reproduce runs every experiment of {settings.ExperimentsDirectory}; for some, use `repro run NAME` then `repro report {settings.Directory} NAME`");
        settings.RefuseQuickOverFull();
        var definitions = ExperimentDefinition.LoadAll(settings.ExperimentsDirectory);
        // One writer: the lock covers the staging copy, the swap and the folder; a second run stops here.
        using var writer = ResultsLock.Acquire(settings.Directory, "reproduce");
        string staging = StagedFolder.Begin(settings.Directory);
        try
        {
            var options = new RunOptions(staging, settings.Threads, settings.Quick, Retrain: false);
            int run = RunCommand.RunAll(definitions, options, null, console, streams);
            string root = settings.RepositoryRoot;
            var verdicts = ReportBuilder.Build(definitions, options, root);
            JUnitReport.Write(Path.Combine(staging, settings.JUnit), verdicts);
            StagedFolder.Commit(settings.Directory);
            int passed = verdicts.Count(v => v.Passed);
            streams.Out.WriteLine($"wrote {Path.Combine(settings.Directory, "REPORT.md")}: {passed}/{verdicts.Count} gates pass");
            foreach (var v in verdicts.Where(v => !v.Passed)) streams.Error.WriteLine($"gate failed: {v.Message}");
            return passed < verdicts.Count ? ReproApp.GateFailed : run;
        }
        catch
        {
            StagedFolder.Abandon(settings.Directory);
            throw;
        }
    }
}
