using System.ComponentModel;
using Repro.Core.Calibration;
using Repro.Core.Evaluation;
using Repro.Results;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro calibrate</c>: the gates' false-alarm rate and power, measured. By default by simulation
/// with the exact truth (<see cref="GateCalibrator"/>: each gate's null at the pinned full sizes, its
/// share of the 1% budget, power against graded faults), written to <c>DIR/calibration.json</c> for
/// the report; exit 0 when every gate is within its share and the shares add up, 1 otherwise.
/// With <c>--runs</c>: full training runs of correct seeds (none may fail: a single-seed run holds
/// 1/12 of a full run's budget, ≈ 0.08%) and of deliberately broken ones (each caught in every seed).
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

        /// <summary>Full training runs instead of the simulation.</summary>
        [CommandOption("--runs")]
        [Description("Calibrate by full training runs (slow) instead of the exact-truth simulation.")]
        public bool Runs { get; init; }

        /// <summary>Results folder the simulation writes calibration.json into.</summary>
        [CommandOption("--report <DIR>")]
        [Description("Results folder that receives calibration.json (default: reports).")]
        public string Report { get; init; } = RepositoryFolders.Default(ResultsSettings.FullFolder);

        /// <summary>Seed of the simulation.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of every simulated draw (default 13).")]
        public ulong Seed { get; init; } = 13;

        /// <summary>Test-sized simulation.</summary>
        [CommandOption("--quick")]
        [Description("Few replicates (for tests; the thresholds are pinned to the full sizes).")]
        public bool Quick { get; init; }

        /// <summary>Faults to run (default: every fault the experiment's model can have).</summary>
        [CommandOption("--faults <LIST>")]
        [Description("With --runs: only these faults, comma-separated (untrained, wrongsigma, flippedscore, largestep, egnnsameendpoint, egnnunrotatededgefeatures, constantnoiselabel, wrongschedule, reversedprobabilityflow, batchaveragedcorrector).")]
        public string? Faults { get; init; }

        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1).")]
        public int Threads { get; init; } = 1;

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Seeds < 1 || BrokenSeeds < 1 || Threads < 1 ? ValidationResult.Error("--seeds, --broken-seeds and --threads must be ≥ 1")
            : Faults is not null && Faults.Split(',').FirstOrDefault(f => !FaultNames.ContainsKey(f.Trim())) is { } unknown
                ? ValidationResult.Error($"--faults: unknown fault \"{unknown.Trim()}\" (known: {string.Join(", ", FaultNames.Keys)})")
            : ValidationResult.Success();

        /// <summary>Every deliberate fault by the name folders and this option spell it.</summary>
        internal static IReadOnlyDictionary<string, Fault> FaultNames { get; } = Enum.GetValues<Fault>().Where(f => f != Fault.None)
            .ToDictionary(f => new RunOptions("", 1, false, false) { Fault = f }.FaultName);
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        return settings.Runs ? ExecuteRuns(settings) : Simulate(settings);
    }

    int Simulate(Settings settings)
    {
        var definitions = settings.Resolve();
        var sizes = settings.Quick ? CalibrationSizes.Quick : CalibrationSizes.Full;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = GateCalibrator.Run(definitions, sizes, settings.Seed, GateCalibrator.DefaultBudget,
            line => streams.Out.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F0} s] {line}"));
        // The commit of the repository the definitions belong to (nearest folder above them holding .git).
        var root = new DirectoryInfo(Path.GetFullPath(settings.ExperimentsDirectory));
        while (root.Parent is not null && !Directory.Exists(Path.Combine(root.FullName, ".git")) && !File.Exists(Path.Combine(root.FullName, ".git")))
            root = root.Parent;
        result = result with { Commit = Reporting.ReportBuilder.Commit(root.FullName) };
        CalibrationStore.Write(settings.Report, result);
        streams.Out.WriteLine($"budget {result.Budget:P2} over {result.Instances} gate instances: α = {result.Budget / result.Instances:G3} each; implied family-wise rate {result.ImpliedRate:G3}");
        foreach (var g in result.Gates)
            streams.Out.WriteLine($"  {g.Experiment} {g.Gate} {g.Comparator} {g.Threshold:G4}: {g.Kind}, {g.Null} null {g.Failures}/{g.Replicates} fail, 1−α quantile {g.NullQuantile:G4}, implied rate {g.ImpliedRate:G3}"
                + (g.Allowance is { } a ? $", allowance {a:G3}" : ""));
        foreach (string problem in result.Problems) streams.Out.WriteLine("PROBLEM " + problem);
        streams.Out.WriteLine($"wrote {Path.Combine(settings.Report, CalibrationStore.FileName)} ({result.Seconds:F0} s): {(result.Accepted ? "accepted" : "NOT accepted")}");
        return result.Accepted ? ReproApp.Ok : ReproApp.GateFailed;
    }

    int ExecuteRuns(Settings settings)
    {
        bool ok = true;
        foreach (var definition in settings.Resolve())
        {
            // An experiment without gates (egnn-ubiquitin-2k39 reports rows only) has no false-alarm rate to measure and
            // nothing that could catch a broken run: training it 50 times would measure nothing.
            if (definition.Gates.Count == 0)
            {
                streams.Out.WriteLine($"{definition.Name}: no gates, nothing to calibrate; skipped");
                continue;
            }
            // A schedule objective trains over every σ, so it has no single σ to get wrong; an EGNN can also be built broken.
            var possible = !definition.Model.IsTrained ? new[] { Fault.LargeStep }
                : definition.Training!.Objective.NeedsNoiseConditionalModel ? new[] { Fault.Untrained, Fault.FlippedScore, Fault.LargeStep }
                : new[] { Fault.Untrained, Fault.WrongSigma, Fault.FlippedScore, Fault.LargeStep };
            // The broken EGNNs are built for the single-σ network only (NetworkCatalog.BuildWithDefect).
            if (definition.Model is Core.Definitions.EgnnDefinition { Conditioning: Core.Definitions.NoConditioning, IndexFrequencies: 0 })
                possible = [.. possible, Fault.EgnnSameEndpoint, Fault.EgnnUnrotatedEdgeFeatures];
            if (definition.Model is Core.Definitions.MlpDefinition { Conditioning: Core.Definitions.NoiseEmbeddingConditioning })
                possible = [.. possible, Fault.ConstantNoiseLabel];
            // A sampler fault is possible where it changes at least one reconstruction's sampler.
            possible = [.. possible, .. new[] { Fault.WrongSchedule, Fault.ReversedProbabilityFlow, Fault.BatchAveragedCorrector }
                .Where(f => definition.Reconstructions.Any(r => !ReferenceEquals(r.Sampler.WithDefect(f.SamplerDefect()), r.Sampler)))];
            var chosen = settings.Faults?.Split(',').Select(f => Settings.FaultNames[f.Trim()]).ToHashSet();
            var faults = chosen is null ? possible : possible.Where(chosen.Contains).ToArray();
            foreach (var skipped in (chosen ?? []).Where(f => !possible.Contains(f)).Order())
                streams.Out.WriteLine($"{definition.Name} {skipped}: does not apply (nothing in its model or reconstructions has it); skipped");
            int falseAlarms = 0;
            var alarms = new List<string>();
            for (int i = 0; i < settings.Seeds; i++)
            {
                long seed = settings.FirstSeed + i;
                var failed = Failures(definition, seed, new RunOptions(settings.Out, settings.Threads, false, false) { Cache = SeedCache.Beside(settings.Out) });
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
                    var failed = Failures(definition, seed, new RunOptions(settings.Out, settings.Threads, false, false) { Fault = fault, Cache = SeedCache.Beside(settings.Out) });
                    if (failed.Count > 0) caught[fault]++;
                    streams.Out.WriteLine($"{definition.Name} {fault} seed {seed}: {(failed.Count > 0 ? "caught by " + string.Join("; ", failed) : "NOT CAUGHT")}");
                }
            }
            // A full run's 1% budget over its 12 single-seed units leaves ≈ 0.08% per unit: no
            // number of seeds this command can afford admits a false alarm.
            bool calibrated = falseAlarms == 0;
            bool powerful = caught.Values.All(c => c == settings.BrokenSeeds);
            ok &= calibrated && powerful;
            streams.Out.WriteLine($"== {definition.Name}: {falseAlarms}/{settings.Seeds} correct runs fail a gate ({(calibrated ? "none, as the budget requires" : "too many")}); "
                + string.Join(", ", caught.Select(c => $"{c.Key} caught {c.Value}/{settings.BrokenSeeds}")));
            foreach (string alarm in alarms) streams.Out.WriteLine("   false alarm " + alarm);
        }
        return ok ? ReproApp.Ok : ReproApp.GateFailed;
    }

    /// <summary>
    /// The gates one seed misses: each-seed gates judged on that seed alone, and gates on the mean over seeds judged
    /// on it when their null has no seed-to-seed spread (equivariance, centre-of-mass drift: rounding, ≥ 1e3 below
    /// their thresholds; a stochastic mean gate's threshold is set for the mean of several seeds, so one seed is not
    /// judged by it). A control's expected failure counts when the control unexpectedly passes.
    /// </summary>
    static List<string> Failures(Core.Definitions.ExperimentDefinition definition, long seed, RunOptions options)
    {
        var record = new ExperimentRunner(options).Run(definition, seed);
        if (!record.Finished) return [$"run diverged at step {record.DivergedAtStep}"];
        var rows = MetricsCsv.Read(Path.Combine(options.SeedFolder(definition.Name, seed), "metrics.csv"));
        return GateEvaluator.Evaluate(definition, [seed], rows)
            .Where(v => !v.Passed && (v.Gate.Over == Core.Definitions.GateDefinition.EachSeed || RoundingNull(v.Gate.Metric)))
            .Select(v => $"{v.Gate.Reconstruction}/{v.Gate.Reference}/{v.Gate.Metric} = {v.Value:G4}{(v.UnexpectedPass ? " (a control's unexpected pass)" : "")}")
            .ToList();
    }

    /// <summary>Metrics whose null is float rounding, the same for every seed: the equivariance errors and the centre-of-mass drift.</summary>
    static bool RoundingNull(string metric) =>
        Core.Metrics.MetricCatalog.Default.Find(metric)?.Metric is Core.Metrics.EquivarianceErrorMetric or Core.Metrics.CentreOfMassDriftMetric;
}
