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
    public sealed class Settings : ResultsSettings;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definitions = ExperimentDefinition.LoadAll(settings.ExperimentsDirectory);
        var options = settings.Options;
        string root = settings.RepositoryRoot;
        var verdicts = ReportBuilder.Build(definitions, options, root);
        streams.Out.WriteLine($"wrote {Path.Combine(settings.Directory, "REPORT.md")}: {verdicts.Count(v => v.Passed)}/{verdicts.Count} gates pass");
        return ReproApp.Ok;
    }
}
