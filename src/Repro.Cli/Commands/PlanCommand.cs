using System.ComponentModel;
using System.Globalization;
using Repro.Core.Definitions;
using Repro.Runs.Plan;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro plan [EXPERIMENTS] [--shard I/N]</c>: the units (experiment × sweep variant × seed) a <c>repro run</c>
/// with the same arguments computes, one line each, <c>ID EXPERIMENT SEED</c> (ID: the first 16 hex digits of the
/// unit's SHA-256 identity, <see cref="RunUnit.Id"/>), in run order; with <c>--shard</c> only that shard's.
/// A line on standard error names the plan and the counts. Exit 2 on bad input.
/// </summary>
public sealed class PlanCommand(Streams streams) : Command<PlanCommand.Settings>
{
    /// <summary>Arguments of <c>plan</c>.</summary>
    public sealed class Settings : PlanSettings;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = settings.Plan(settings.Resolve());
        var units = settings.Shard is { } shard ? plan.Shard(shard) : plan.Units;
        foreach (var unit in units)
            streams.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{unit.ShortId} {unit.Experiment} {unit.Seed}"));
        streams.Error.WriteLine(settings.Shard is { } s
            ? $"plan {plan.Id[..16]}: {plan.Units.Count} units; shard {s}: {units.Count}"
            : $"plan {plan.Id[..16]}: {plan.Units.Count} units");
        return ReproApp.Ok;
    }
}

/// <summary>Settings that choose a run's units: experiments, seeds, quick, sweep and shard (<c>plan</c> and <c>run</c>).</summary>
public class PlanSettings : ExperimentSettings
{
    /// <summary>Run only these seeds instead of the definition's list (repeatable, or comma-separated).</summary>
    [CommandOption("--seed <N>")]
    [Description("Run only these seeds: --seed 1,2 or --seed 1 --seed 2 (default: every seed the definition lists; `report` and `check` read only those).")]
    public string[] SeedText { get; init; } = [];

    /// <summary>The seeds of --seed, parsed; empty for the definition's own.</summary>
    public IReadOnlyList<long> Seeds => SeedText.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries))
        .Select(t => long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : -1)
        .Distinct().ToArray();

    /// <summary>Reduced settings.</summary>
    [CommandOption("--quick")]
    [Description("Use the definition's quick settings (fewer steps and particles); results go to quick-seed-S folders under reports.quick by default.")]
    public bool Quick { get; init; }

    /// <summary>Skip the sweep variants.</summary>
    [CommandOption("--no-sweep")]
    [Description("Do not run a base experiment's sweep variants (its \"sweep\": one-at-a-time changes of σ or width, run right after it by default).")]
    public bool NoSweep { get; init; }

    /// <summary>The shard as given (<c>i/N</c>).</summary>
    [CommandOption("--shard <I/N>")]
    [Description("Only shard I of N (1 ≤ I ≤ N, e.g. $SLURM_ARRAY_TASK_ID/N): every N-th unit of the plan, starting with the I-th; the N shards are disjoint and together the whole plan (`repro merge` combines their folders).")]
    public string? ShardText { get; init; }

    /// <summary>The shard of --shard, or null for the whole plan.</summary>
    public ShardSpec? Shard => ShardText is null ? null : ShardSpec.Parse(ShardText);

    /// <summary>The plan of <paramref name="definitions"/> under these settings.</summary>
    public RunPlan Plan(IReadOnlyList<ExperimentDefinition> definitions) =>
        RunPlan.Of(definitions, Seeds.Count > 0 ? Seeds : null, sweep: !NoSweep, Quick);

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (SeedText.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries)).FirstOrDefault(t => !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _)) is { } bad)
            return ValidationResult.Error($"--seed: must be whole numbers ≥ 0, comma-separated or repeated (got \"{bad}\")");
        try
        {
            _ = Shard;
        }
        catch (Core.InputException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }
}
