using System.ComponentModel;
using System.Text.Json;
using Repro.Core.Evaluation;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro check [DIR]</c>: re-evaluates every gate on stored results, without training or
/// sampling. Exit 0 when all pass, 1 when one fails, 2 on bad or missing input.
/// </summary>
public sealed class CheckCommand(Streams streams, IAnsiConsole console) : Command<CheckCommand.Settings>
{
    /// <summary>Arguments of <c>check</c>.</summary>
    public sealed class Settings : ResultsSettings
    {
        /// <summary>JUnit XML output.</summary>
        [CommandOption("--junit <FILE>")]
        [Description("Also write JUnit XML (one test case per gate and seed).")]
        public string? JUnit { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print the verdicts as JSON instead of a table.")]
        public bool Json { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var verdicts = Verdicts(Core.Definitions.ExperimentDefinition.LoadAll(settings.ExperimentsDirectory), settings.Options);
        if (settings.JUnit is { } junit) JUnitReport.Write(junit, verdicts);
        if (settings.Json)
        {
            var json = verdicts.Select(v => new
            {
                id = v.Id, experiment = v.Experiment, reconstruction = v.Gate.Reconstruction, reference = v.Gate.Reference,
                metric = v.Gate.Metric, seed = v.Seed, value = double.IsNaN(v.Value) ? (double?)null : v.Value,
                comparator = v.Gate.Comparator, threshold = v.Gate.Threshold, passed = v.Passed, reason = v.Gate.Reason,
            });
            streams.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            var table = new Table().AddColumns("gate", "value", "threshold", "verdict");
            foreach (var v in verdicts)
                table.AddRow(Markup.Escape(v.Id), Markup.Escape(v.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)),
                    Markup.Escape($"{v.Gate.Comparator} {v.Gate.Threshold}"), v.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
            console.Write(table);
            streams.Out.WriteLine($"{verdicts.Count(v => v.Passed)}/{verdicts.Count} gates pass");
        }
        return verdicts.All(v => v.Passed) ? ReproApp.Ok : ReproApp.GateFailed;
    }

    /// <summary>Every gate of every definition on the stored results (missing results: <see cref="Core.InputException"/>).</summary>
    internal static List<GateVerdict> Verdicts(IReadOnlyList<Core.Definitions.ExperimentDefinition> definitions, RunOptions options)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var definition in definitions)
        {
            var rows = ResultsStore.ReadMetrics(definition, options, definition.Seeds);
            verdicts.AddRange(GateEvaluator.Evaluate(definition, definition.Seeds, rows));
        }
        return verdicts;
    }
}

/// <summary>Settings of commands that read stored results (<c>check</c>, <c>report</c>).</summary>
public class ResultsSettings : CommandSettings
{
    /// <summary>Results folder.</summary>
    [CommandArgument(0, "[DIR]")]
    [Description("Results folder (default: reports).")]
    public string Directory { get; init; } = "reports";

    /// <summary>Folder of definitions (the thresholds live there only).</summary>
    [CommandOption("--experiments <DIR>")]
    [Description("Folder of experiment definitions (default: experiments).")]
    public string ExperimentsDirectory { get; init; } = "experiments";

    /// <summary>Read quick-run results.</summary>
    [CommandOption("--quick")]
    [Description("Use the results of quick runs (quick-seed-S folders).")]
    public bool Quick { get; init; }

    /// <summary>How the stored results are laid out.</summary>
    public RunOptions Options => new(Directory, 1, Quick, false);

    /// <summary>The repository the definitions belong to (the report names its commit).</summary>
    public string RepositoryRoot => Path.GetFullPath(Path.Combine(ExperimentsDirectory, ".."));
}
