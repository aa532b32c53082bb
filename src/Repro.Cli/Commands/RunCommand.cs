using System.ComponentModel;
using Repro.Core;
using Repro.Core.Definitions;
using Repro.Results;
using Repro.Runs;
using Repro.Runs.Plan;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro run [EXPERIMENT...]</c>: train and sample every seed of the named experiments (all by
/// default), each followed by its sweep variants unless <c>--no-sweep</c>, writing raw results under
/// <c>--out</c>; a seed whose identity the local cache holds is restored from it instead
/// (<see cref="SeedCache"/>). Exit 1 when a run diverged.
/// </summary>
public sealed class RunCommand(Streams streams, IAnsiConsole console) : Command<RunCommand.Settings>
{
    /// <summary>Arguments of <c>run</c>.</summary>
    public sealed class Settings : PlanSettings
    {
        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1: training this small network is dispatch-bound).")]
        public int Threads { get; init; } = 1;

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for results (default: reports; with --quick: reports.quick).")]
        public string? OutArgument { get; init; }

        /// <summary>The output folder: full and quick results live apart.</summary>
        public string Out => OutArgument ?? RepositoryFolders.Default(Quick ? ResultsSettings.QuickFolder : ResultsSettings.FullFolder);

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

        /// <summary>The local cache of finished seeds, or null with --no-cache.</summary>
        public SeedCache? Cache => NoCache ? null : CacheArgument is { } c ? new SeedCache(c) : SeedCache.Beside(Out);

        /// <summary>Worker processes.</summary>
        [CommandOption("--jobs <N>")]
        [Description("Units computed at once, each in a worker process with its own --threads (default: the number of cores); results are bit-identical to --jobs 1.")]
        public int Jobs { get; init; } = Environment.ProcessorCount;

        /// <summary>A worker of --jobs: the folder where units are claimed (internal).</summary>
        [CommandOption("--claim <DIR>", IsHidden = true)]
        public string? Claim { get; init; }

        /// <summary>The arguments that select this run's units, as a worker process is given them.</summary>
        public IReadOnlyList<string> UnitArguments()
        {
            var args = new List<string>(Experiments) { "--experiments", ExperimentsDirectory };
            if (Seeds.Count > 0) args.AddRange(["--seed", string.Join(",", Seeds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
            if (Quick) args.Add("--quick");
            if (NoSweep) args.Add("--no-sweep");
            if (ShardText is { } shard) args.AddRange(["--shard", shard]);
            return args;
        }

        /// <summary>The command that runs this shard again (and so resumes it), as the shard manifest records it.</summary>
        public string ShardCommand()
        {
            var parts = new List<string> { SuggestedCommand.Program, "run" };
            parts.AddRange(Experiments.Select(SuggestedCommand.Quote));
            if (ExperimentsDirectory != "experiments") parts.AddRange(["--experiments", SuggestedCommand.Quote(ExperimentsDirectory)]);
            if (Seeds.Count > 0) parts.AddRange(["--seed", string.Join(",", Seeds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
            if (Quick) parts.Add("--quick");
            if (NoSweep) parts.Add("--no-sweep");
            parts.AddRange(["--threads", Threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shard", ShardText ?? "1/1", "--out", SuggestedCommand.Quote(Out)]);
            if (CacheArgument is { } c) parts.AddRange(["--cache", SuggestedCommand.Quote(c)]);
            if (NoCache) parts.Add("--no-cache");
            return string.Join(" ", parts);
        }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Threads < 1 ? ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})")
            : Jobs < 1 ? ValidationResult.Error($"--jobs: must be ≥ 1 (got {Jobs})")
            : base.Validate();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definitions = settings.Resolve();
        var seeds = settings.Seeds;
        // Say before the work what the report will and will not read (once: not again in each worker).
        foreach (var d in settings.Claim is null ? definitions : [])
        {
            var outside = seeds.Where(s => !d.Seeds.Contains(s)).ToArray();
            if (outside.Length > 0)
                streams.Error.WriteLine($"note: {d.Name}: seed {string.Join(", ", outside)} is not in the definition's \"seeds\" [{string.Join(", ", d.Seeds)}]: it runs, but `repro report` and `repro check` read only the definition's seeds (add it there to report it)");
        }
        var plan = settings.Plan(definitions);
        var units = settings.Shard is { } shard ? plan.Shard(shard) : plan.Units;
        using var writer = ResultsLock.Acquire(settings.Out, "run");
        if (settings.Shard is { } s && settings.Claim is null)
        {
            // Written before the first unit, so that merge can tell an unfinished shard from a missing one.
            new ShardManifest
            {
                Shard = s.Index, Of = s.Count, Plan = plan.Id, PlanUnits = plan.Units.Count, Code = CodeIdentity.Hash,
                Threads = settings.Threads, Quick = settings.Quick, Command = settings.ShardCommand(),
                Units = units.Select(u => new ShardUnit(u.Id, u.Experiment, u.Seed, u.Folder)).ToArray(),
            }.Write(settings.Out);
            streams.Error.WriteLine($"shard {s} of plan {plan.Id[..16]}: {units.Count} of {plan.Units.Count} units");
        }
        var options = new RunOptions(settings.Out, settings.Threads, settings.Quick, settings.Recompute) { Cache = settings.Cache };
        int jobs = Math.Min(settings.Jobs, units.Count);
        return settings.Claim is null && jobs > 1
            ? ParallelRun.Run(units, settings.UnitArguments(), options, jobs, streams)
            : RunAll(units, options, console, streams, settings.Claim);
    }

    /// <summary>
    /// Runs every unit in order; 1 when a run diverged, the others going on. A worker of <c>--jobs</c> runs only the units
    /// it claims first in <paramref name="claims"/> (by creating <c>claims/UNIT-ID</c>, which fails when another worker has).
    /// </summary>
    internal static int RunAll(IReadOnlyList<RunUnit> units, RunOptions options, IAnsiConsole console, Streams streams, string? claims = null)
    {
        var runner = new ExperimentRunner(options);
        // Units of one network shape train as one ensemble (same results, faster); a worker of --jobs claims such an
        // ensemble whole (by its first unit), so that no two workers train the same members.
        // Lazily: a batch is claimed only when this worker is free for it.
        IEnumerable<IReadOnlyList<RunUnit>> batches = claims is null ? [units] : runner.Batches(units).Where(b => Claim(claims, b[0]));
        int failures = 0;
        foreach (var batch in batches)
        foreach (var unit in Planned(runner, batch))
        {
            var (definition, seed) = (unit.Definition, unit.Seed);
            string label = unit.Label;
            var record = Progress.Run(console, label, report => runner.Run(definition, seed, report));
            if (record.CacheNote is { } note) streams.Error.WriteLine($"note: {label}: {Shown(note)}");
            string how = record.Reused ? $"reused from the local cache ({Shown(record.CacheEntry!)})" : "computed";
            if (!record.Finished)
            {
                failures++;
                streams.Error.WriteLine($"{label}: diverged in {record.DivergedIn ?? "training"} at step {record.DivergedAtStep} ({how}); the other runs go on");
                continue;
            }
            string training = record.Training is { } t
                ? $"final loss {t.FinalLoss:F4} (floor {t.LossFloor:F4} ± {t.LossFloorStandardError:F4}, excess {t.ExcessOverFloor:F4}), {t.StepsPerSecond:F0} steps/s; "
                : "";
            streams.Out.WriteLine(record.Reused
                ? $"{label}: {how}: {training}{record.Reconstructions.Count} reconstructions"
                : $"{label}: {how}: {training}{record.Reconstructions.Count} reconstructions, {record.Seconds:F1} s");
        }
        return failures == 0 ? ReproApp.Ok : ReproApp.GateFailed;
    }

    /// <summary>Tells <paramref name="runner"/> the units about to run (its ensembles), then yields them.</summary>
    static IEnumerable<RunUnit> Planned(ExperimentRunner runner, IReadOnlyList<RunUnit> units)
    {
        runner.Plan(units);
        return units;
    }

    /// <summary>True when this process is the first to claim <paramref name="unit"/> (an exclusive create of its claim file).</summary>
    static bool Claim(string claims, RunUnit unit)
    {
        try
        {
            using var claim = new FileStream(Path.Combine(claims, unit.Id), FileMode.CreateNew, FileAccess.Write);
            claim.Write(System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(claims, unit.Id)))
        {
            return false;
        }
    }

    /// <summary>Paths in notes and seed lines relative to the current folder when under it (<c>.repro-cache/KEY</c>).</summary>
    static string Shown(string text)
    {
        string here = Path.TrimEndingDirectorySeparator(Directory.GetCurrentDirectory()) + Path.DirectorySeparatorChar;
        return text.Replace(here, "", StringComparison.Ordinal);
    }
}

/// <summary>Settings shared by commands that take experiment names or files.</summary>
public class ExperimentSettings : CommandSettings
{
    /// <summary>Experiment names, definition files or folders.</summary>
    [CommandArgument(0, "[EXPERIMENTS]")]
    [Description("Experiment names (looked up in --experiments), definition files or folders (default: all).")]
    public string[] Experiments { get; init; } = [];

    /// <summary>Folder of definitions.</summary>
    [CommandOption("--experiments <DIR>")]
    [Description("Folder of experiment definitions (default: experiments).")]
    public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

    /// <summary>Loads and validates every named definition before any work starts.</summary>
    public IReadOnlyList<ExperimentDefinition> Resolve()
    {
        if (Experiments.Length == 0)
            return File.Exists(ExperimentsDirectory) || Directory.Exists(ExperimentsDirectory)
                ? ExperimentDefinition.LoadAll(ExperimentsDirectory) : throw new Core.InputException(RepositoryFolders.Missing(ExperimentsDirectory));
        var all = new List<ExperimentDefinition>();
        foreach (string e in Experiments)
        {
            if (File.Exists(e) || Directory.Exists(e))
            {
                all.AddRange(ExperimentDefinition.LoadAll(e));
                continue;
            }
            // The installed tool (dotnet tool install) carries the seed experiments beside repro.dll,
            // so a name works outside a clone; a local experiments/ folder comes first.
            string folder = ExperimentsDirectory;
            string bundled = Path.Combine(AppContext.BaseDirectory, "experiments");
            if (folder == "experiments" && !File.Exists(Path.Combine(folder, e + ".json")) && File.Exists(Path.Combine(bundled, e + ".json")))
                folder = bundled;
            all.AddRange(Cli.DefinitionLookup.Find(e, folder));
        }
        return all;
    }
}
