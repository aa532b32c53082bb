using Repro.Core.Definitions;
using Repro.Reporting;
using Repro.Results;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro report [DIR] [EXPERIMENTS]</c>: rebuilds the Markdown report, its figures and tables from
/// stored results in seconds, without training or sampling, over the seeds that have results (the
/// page and the output name the missing ones). Gating is <c>repro check</c>'s job.
/// </summary>
public sealed class ReportCommand(Streams streams) : Command<ReportCommand.Settings>
{
    /// <summary>Arguments of <c>report</c>.</summary>
    public sealed class Settings : SeedResultsSettings;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        settings.RefuseQuickOverFull();
        var (definitions, errors) = settings.Definitions();
        var layout = settings.Layout;
        var (available, absent) = Cli.DefinitionLookup.Available(definitions, layout);
        var missing = SuggestedCommand.MissingLines(absent, layout, settings.Directory, settings.ExperimentsDirectory);
        if (available.Count == 0)
            throw new Core.InputException(missing.FirstOrDefault() ?? errors.FirstOrDefault() ?? $"{settings.ExperimentsDirectory}: no experiment definitions");
        using var writer = ResultsLock.Acquire(settings.Directory, "report");
        var verdicts = ReportBuilder.Build(available, layout, settings.RepositoryRoot, missing,
            (experiment, seeds) => SuggestedCommand.Run(experiment, seeds, settings.Directory, settings.Quick, settings.ExperimentsDirectory));
        var other = OtherCode.Of(available, layout);
        streams.Out.WriteLine($"wrote {Path.Combine(settings.Directory, "REPORT.md")}: {string.Join(", ", available.Select(d => $"{d.Name} (seeds {string.Join(",", d.Seeds)})"))}; {CheckCommand.Summary(verdicts)}{OtherCode.Summary(OtherCode.Verdicts(verdicts, other), strict: false)}");
        foreach (var seed in other) streams.Error.WriteLine(OtherCode.Note(seed, settings.Directory, settings.Quick, settings.ExperimentsDirectory));
        if (verdicts.Any(v => !v.Judged)) streams.Out.WriteLine("not judged: " + Core.Evaluation.GateEvaluator.QuickRule);
        foreach (string m in missing) streams.Error.WriteLine("missing: " + m);
        // Sweep variants carry no gates: the report reads what exists and says what is not run.
        foreach (var d in available)
        {
            var sweep = Cli.DefinitionLookup.MissingSweep(d, layout);
            if (sweep.Count == 0) continue;
            var variants = sweep.Select(m => m.Definition.Name[(d.Name.Length + "/sweep/".Length)..]).Distinct();
            var seeds = sweep.Select(m => m.Seed).Distinct().ToArray();
            streams.Error.WriteLine($"note: {d.Name}: sweep variants not run for seed(s) {string.Join(", ", seeds.Order())}: {string.Join(", ", variants)} (the page says so); to add them: "
                + SuggestedCommand.Run(d.Name, seeds, settings.Directory, settings.Quick, settings.ExperimentsDirectory));
        }
        foreach (string e in errors) streams.Error.WriteLine("error: " + e);
        return errors.Count > 0 ? ReproApp.BadInput : ReproApp.Ok;
    }
}
