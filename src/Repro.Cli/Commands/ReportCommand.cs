using System.ComponentModel;
using Repro.Core.Definitions;
using Repro.Reporting;
using Repro.Runs;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro report [DIR]</c>: rebuilds the Markdown report, its figures and tables from stored
/// results in seconds, without training or sampling. Gating is <c>repro check</c>'s job.
/// </summary>
public sealed class ReportCommand(Streams streams) : Command<ReportCommand.Settings>
{
    /// <summary>Arguments of <c>report</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Results folder.</summary>
        [CommandArgument(0, "[DIR]")]
        [Description("Results folder (default: reports).")]
        public string Directory { get; init; } = "reports";

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = "experiments";

        /// <summary>Report on quick runs.</summary>
        [CommandOption("--quick")]
        [Description("Report the results of quick runs (quick-seed-S folders).")]
        public bool Quick { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definitions = ExperimentDefinition.LoadAll(settings.ExperimentsDirectory);
        var options = new RunOptions(settings.Directory, 1, settings.Quick, false);
        string root = Path.GetFullPath(Path.Combine(settings.ExperimentsDirectory, ".."));
        var verdicts = ReportBuilder.Build(definitions, options, root);
        streams.Out.WriteLine($"wrote {Path.Combine(settings.Directory, "REPORT.md")}: {verdicts.Count(v => v.Passed)}/{verdicts.Count} gates pass");
        return ReproApp.Ok;
    }
}
