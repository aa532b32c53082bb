using System.ComponentModel;
using Repro.Core;
using Repro.Core.Definitions;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro run [EXPERIMENT...]</c>: train (or reuse) and sample every seed of the named
/// experiments (all by default), writing raw results under <c>--out</c>. Exit 1 when a run diverged.
/// </summary>
public sealed class RunCommand(Streams streams, IAnsiConsole console) : Command<RunCommand.Settings>
{
    /// <summary>Arguments of <c>run</c>.</summary>
    public sealed class Settings : ExperimentSettings
    {
        /// <summary>Run only this seed instead of the definition's list.</summary>
        [CommandOption("--seed <N>")]
        [Description("Run only this seed (default: every seed the definition lists).")]
        public long? Seed { get; init; }

        /// <summary>Reduced settings.</summary>
        [CommandOption("--quick")]
        [Description("Use the definition's quick settings (fewer steps and particles); results go to quick-seed-S folders.")]
        public bool Quick { get; init; }

        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1: training this small network is dispatch-bound).")]
        public int Threads { get; init; } = 1;

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for results (default: reports).")]
        public string Out { get; init; } = "reports";

        /// <summary>Ignore reusable weights.</summary>
        [CommandOption("--retrain")]
        [Description("Train even when weights for the same definition, seed and threads exist.")]
        public bool Retrain { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Threads < 1 ? ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})")
            : Seed is < 0 ? ValidationResult.Error($"--seed: must be ≥ 0 (got {Seed})")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAll(settings.Resolve(), new RunOptions(settings.Out, settings.Threads, settings.Quick, settings.Retrain), settings.Seed, console, streams);

    /// <summary>Runs every seed (or only <paramref name="onlySeed"/>) of every definition; 1 when a run diverged, the others going on.</summary>
    internal static int RunAll(IReadOnlyList<ExperimentDefinition> definitions, RunOptions options, long? onlySeed, IAnsiConsole console, Streams streams)
    {
        var runner = new ExperimentRunner(options);
        int failures = 0;
        // A definition's sweep variants run right after it, seed by seed like any experiment.
        foreach (var definition in definitions.SelectMany(d => d.Variants().Select(v => v.Definition).Prepend(d)))
        {
            var seeds = onlySeed is long s ? [s] : definition.Seeds;
            foreach (long seed in seeds)
            {
                string label = $"{definition.Name} seed {seed}";
                var record = Progress.Run(console, label, report => runner.Run(definition, seed, report));
                if (record.Status != "ok")
                {
                    failures++;
                    streams.Error.WriteLine($"{label}: {record.Status} in {record.DivergedIn ?? "training"} at step {record.DivergedAtStep}; the other runs go on");
                    continue;
                }
                string training = record.Training is { } t
                    ? $"final loss {t.FinalLoss:F4} (floor {t.LossFloor:F4} ± {t.LossFloorStandardError:F4}, excess {t.ExcessOverFloor:F4}), {t.StepsPerSecond:F0} steps/s{(t.Reused ? ", reused weights" : "")}; "
                    : "";
                streams.Out.WriteLine($"{label}: {training}{record.Reconstructions.Count} reconstructions, {record.Seconds:F1} s");
            }
        }
        return failures == 0 ? ReproApp.Ok : ReproApp.GateFailed;
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
    public string ExperimentsDirectory { get; init; } = "experiments";

    /// <summary>Loads and validates every named definition before any work starts.</summary>
    public IReadOnlyList<ExperimentDefinition> Resolve()
    {
        if (Experiments.Length == 0) return ExperimentDefinition.LoadAll(ExperimentsDirectory);
        var all = new List<ExperimentDefinition>();
        foreach (string e in Experiments)
        {
            if (File.Exists(e) || Directory.Exists(e))
            {
                all.AddRange(ExperimentDefinition.LoadAll(e));
                continue;
            }
            string file = Path.Combine(ExperimentsDirectory, e + ".json");
            if (!File.Exists(file))
                throw new InputException($"{e}: no such experiment (no file {file})");
            all.Add(ExperimentDefinition.Load(file));
        }
        return all;
    }
}
