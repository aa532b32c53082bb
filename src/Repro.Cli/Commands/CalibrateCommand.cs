using System.ComponentModel;
using Repro.Core.Evaluation;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro calibrate</c>: the gates' false-alarm rate and power, measured. Runs many seeds of
/// correct runs at full settings (how many fail any gate: at most 1 in 50 is consistent with a 1%
/// family-wise rate) and a few seeds of each deliberately broken run (each must be caught in every
/// seed). Exit 0 when both hold, 1 otherwise.
/// </summary>
public sealed class CalibrateCommand(Streams streams) : Command<CalibrateCommand.Settings>
{
    /// <summary>Arguments of <c>calibrate</c>.</summary>
    public sealed class Settings : ExperimentSettings
    {
        /// <summary>Correct seeds per experiment.</summary>
        [CommandOption("--seeds <N>")]
        [Description("Correct runs per experiment (default 50).")]
        public int Seeds { get; init; } = 50;

        /// <summary>Broken seeds per fault.</summary>
        [CommandOption("--broken-seeds <N>")]
        [Description("Runs per deliberate fault (default 3).")]
        public int BrokenSeeds { get; init; } = 3;

        /// <summary>First seed (kept apart from the definitions' own seeds).</summary>
        [CommandOption("--first-seed <N>")]
        [Description("First calibration seed (default 1000, apart from the report's seeds).")]
        public long FirstSeed { get; init; } = 1000;

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for calibration runs (default: .calibrate, ignored by git).")]
        public string Out { get; init; } = ".calibrate";

        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1).")]
        public int Threads { get; init; } = 1;

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Seeds < 1 || BrokenSeeds < 1 || Threads < 1 ? ValidationResult.Error("--seeds, --broken-seeds and --threads must be ≥ 1")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        bool ok = true;
        foreach (var definition in settings.Resolve())
        {
            var faults = definition.Model.IsTrained
                ? new[] { Fault.Untrained, Fault.WrongSigma, Fault.FlippedScore, Fault.LargeStep }
                : new[] { Fault.LargeStep };
            int falseAlarms = 0;
            var alarms = new List<string>();
            for (int i = 0; i < settings.Seeds; i++)
            {
                long seed = settings.FirstSeed + i;
                var failed = Failures(definition, seed, new RunOptions(settings.Out, settings.Threads, false, false));
                if (failed.Count > 0)
                {
                    falseAlarms++;
                    alarms.Add($"seed {seed}: {string.Join("; ", failed)}");
                }
                streams.Out.WriteLine($"{definition.Name} correct seed {seed}: {(failed.Count == 0 ? "all gates pass" : "FAILS " + string.Join("; ", failed))}");
            }
            var caught = new Dictionary<Fault, int>();
            foreach (var fault in faults)
            {
                caught[fault] = 0;
                for (int i = 0; i < settings.BrokenSeeds; i++)
                {
                    long seed = settings.FirstSeed + i;
                    var failed = Failures(definition, seed, new RunOptions(settings.Out, settings.Threads, false, false) { Fault = fault });
                    if (failed.Count > 0) caught[fault]++;
                    streams.Out.WriteLine($"{definition.Name} {fault} seed {seed}: {(failed.Count > 0 ? "caught by " + string.Join("; ", failed) : "NOT CAUGHT")}");
                }
            }
            bool calibrated = falseAlarms <= Math.Max(1, (int)Math.Floor(0.02 * settings.Seeds));
            bool powerful = caught.Values.All(c => c == settings.BrokenSeeds);
            ok &= calibrated && powerful;
            streams.Out.WriteLine($"== {definition.Name}: {falseAlarms}/{settings.Seeds} correct runs fail a gate ({(calibrated ? "consistent with ≤ 1%" : "too many")}); "
                + string.Join(", ", caught.Select(c => $"{c.Key} caught {c.Value}/{settings.BrokenSeeds}")));
            foreach (string alarm in alarms) streams.Out.WriteLine("   false alarm " + alarm);
        }
        return ok ? ReproApp.Ok : ReproApp.GateFailed;
    }

    /// <summary>The gates one seed misses (each-seed gates judged on that seed alone).</summary>
    static List<string> Failures(Core.Definitions.ExperimentDefinition definition, long seed, RunOptions options)
    {
        var record = new ExperimentRunner(options).Run(definition, seed);
        if (record.Status != "ok") return [$"run {record.Status} at step {record.DivergedAtStep}"];
        var rows = MetricsCsv.Read(Path.Combine(options.SeedFolder(definition.Name, seed), "metrics.csv"));
        return GateEvaluator.Evaluate(definition, [seed], rows)
            .Where(v => !v.Passed && v.Gate.Over == Core.Definitions.GateDefinition.EachSeed)
            .Select(v => $"{v.Gate.Reconstruction}/{v.Gate.Reference}/{v.Gate.Metric} = {v.Value:G4}")
            .ToList();
    }
}
