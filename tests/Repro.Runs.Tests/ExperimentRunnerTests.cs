using Repro.Core.Definitions;
using Repro.Results;
using Repro.Training;

namespace Repro.Runs.Tests;

public sealed class ExperimentRunnerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static ExperimentDefinition Definition(string name) =>
        ExperimentDefinition.Load(Path.Combine(RepoRoot(), "experiments", name + ".json"));

    internal static string RepoRoot() => Repro.Tests.Shared.RepoRoot.Path;

    [Fact]
    public void The_same_seed_and_threads_give_bit_identical_results()
    {
        var definition = Definition("dsm-2d-blob-line");
        var a = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "a"), 1, Quick: true, Recompute: false)) { FloorSamples = 2000 };
        var b = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "b"), 1, Quick: true, Recompute: false)) { FloorSamples = 2000 };

        a.Run(definition, 5);
        b.Run(definition, 5);

        string fa = Path.Combine(_dir, "a", definition.Name, "quick-seed-5"), fb = Path.Combine(_dir, "b", definition.Name, "quick-seed-5");
        var files = Directory.GetFiles(fa).Select(f => Path.GetFileName(f)).Where(f => f is not ("run.json" or "weights.json")).Order().ToArray();
        Assert.Contains("loss.csv", files);
        Assert.Contains("weights.bin", files);
        Assert.Contains("samples-forward-backward.csv", files);
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(fa, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fb, file))), file + " differs");
    }

    [Fact]
    public void A_unit_trained_in_an_ensemble_gives_the_bytes_it_gives_alone()
    {
        // The 1D experiment (layers of width 1, the shape most prone to batched rounding) and two seeds of it
        // planned together against one seed run alone: the unit's files agree byte for byte (timings apart).
        var definition = Definition("dsm-1d-two-gaussians");
        var planned = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "planned"), 1, Quick: true, Recompute: false)) { FloorSamples = 2000 };
        planned.Plan([new Plan.RunUnit(definition, 1, Quick: true), new Plan.RunUnit(definition, 2, Quick: true)]);
        var stages = new List<string>();
        planned.Run(definition, 2, (stage, _) => stages.Add(stage));
        planned.Run(definition, 1);
        var alone = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "alone"), 1, Quick: true, Recompute: false)) { FloorSamples = 2000 };
        alone.Run(definition, 2);

        Assert.Contains("train (ensemble)", stages);
        string fa = Path.Combine(_dir, "planned", definition.Name, "quick-seed-2"), fb = Path.Combine(_dir, "alone", definition.Name, "quick-seed-2");
        var files = Directory.GetFiles(fb).Select(f => Path.GetFileName(f)).Where(f => f is not ("run.json" or "weights.json")).Order().ToArray();
        Assert.Contains("weights.bin", files);
        Assert.Contains("loss.csv", files);
        Assert.Equal(files, Directory.GetFiles(fa).Select(f => Path.GetFileName(f)).Where(f => f is not ("run.json" or "weights.json")).Order().ToArray());
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(fa, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fb, file))), file + " differs");
    }

    static SortedDictionary<string, string> Snapshot(string folder) => new(
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    [Fact]
    public void A_finished_seed_is_restored_from_the_cache_byte_for_byte_and_recompute_computes_it()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var cache = new SeedCache(Path.Combine(_dir, ".repro-cache"));
        var options = new RunOptions(Path.Combine(_dir, "a"), 1, Quick: true, Recompute: false) { Cache = cache };
        string folder = options.SeedFolder(definition.Name, 3);

        var first = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 3);
        var computed = Snapshot(folder);
        Directory.Delete(options.OutputRoot, recursive: true); // a fresh results folder, the cache kept
        var second = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 3);
        var restored = Snapshot(folder);
        var forced = new ExperimentRunner(options with { Recompute = true }) { FloorSamples = 2000 }.Run(definition, 3);

        Assert.False(first.Reused);
        Assert.Equal(cache.EntryOf(new ExperimentRunner(options).Identity(definition, 3)), first.CacheEntry);
        Assert.True(second.Reused);
        Assert.Equal(first.CacheEntry, second.CacheEntry);
        Assert.Contains("weights.bin", restored.Keys);
        Assert.Equal(computed, restored);
        Assert.False(forced.Reused);
        Assert.Equal(first.Training!.FinalLoss, forced.Training!.FinalLoss);
    }

    [Fact]
    public void Nothing_is_reused_from_the_results_folder_itself()
    {
        // A finished seed in the results folder (a committed reports/, say) but no cache: computed again,
        // and without a cache nothing is written beside the results.
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(Path.Combine(_dir, "reports"), 1, Quick: true, Recompute: false);
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 4);
        string stale = Path.Combine(options.SeedFolder(definition.Name, 4), "samples-stale.csv");
        File.WriteAllText(stale, "x1\n1\n");

        var again = new ExperimentRunner(options with { Cache = SeedCache.Beside(options.OutputRoot) }) { FloorSamples = 2000 }.Run(definition, 4);

        Assert.False(again.Reused);
        Assert.False(File.Exists(stale), "a computed seed folder holds only what the run wrote");
        Assert.True(Directory.Exists(Path.Combine(_dir, SeedCache.DefaultName)));
    }

    [Fact]
    public void A_changed_code_or_definition_identity_misses_the_cache()
    {
        // A fault planted through the code identity: the same definition, seed, threads and packages,
        // but another build of Core/Training/Results/Runs. Its cached result must not be reused.
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(Path.Combine(_dir, "reports"), 1, Quick: true, Recompute: false) { Cache = new SeedCache(Path.Combine(_dir, "cache")) };
        var first = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 6);
        var again = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 6);

        var otherCode = new ExperimentRunner(options with { Code = new string('f', 64) }) { FloorSamples = 2000 }.Run(definition, 6);
        var otherDefinition = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition with { Hash = new string('0', 64) }, 6);

        Assert.Equal(64, CodeIdentity.Hash.Length);
        Assert.True(CodeIdentity.Files > 50);
        Assert.Equal(CodeIdentity.Hash, first.Code);
        Assert.True(again.Reused);
        Assert.False(otherCode.Reused);
        Assert.Equal(new string('f', 64), otherCode.Code);
        Assert.False(otherDefinition.Reused);
        Assert.Equal(new string('0', 64), otherDefinition.DefinitionHash);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(_dir, "cache")).Length);
    }

    [Fact]
    public void A_run_that_fails_mid_seed_leaves_the_previous_seed_folder_byte_identical_and_the_next_run_cleans_up()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(Path.Combine(_dir, "reports"), 1, Quick: true, Recompute: false);
        string folder = options.SeedFolder(definition.Name, 2), experiment = Path.GetDirectoryName(folder)!;
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 2);
        var before = Snapshot(folder);

        // Fails after training, with loss.csv and weights written: the seed is half done.
        var failing = new ExperimentRunner(options) { FloorSamples = 2000 };
        Assert.Throws<TimeoutException>(() => failing.Run(definition, 2,
            (stage, _) => { if (stage.StartsWith("sample ")) throw new TimeoutException("killed"); }));

        Assert.Equal(before, Snapshot(folder));
        Assert.Equal(["quick-seed-2"], Directory.GetDirectories(experiment).Select(Path.GetFileName));

        // What kill -9 between the two renames of the swap leaves (no catch runs): the old folder
        // moved aside, a half-written staging folder. A next run that fails mid-seed puts the old back.
        Directory.Move(folder, StagedSeedFolder.PreviousOf(folder));
        Directory.CreateDirectory(StagedSeedFolder.PartialOf(folder));
        File.WriteAllText(Path.Combine(StagedSeedFolder.PartialOf(folder), "loss.csv"), "step,loss\n1,");
        Assert.Throws<TimeoutException>(() => failing.Run(definition, 2,
            (stage, _) => { if (stage.StartsWith("sample ")) throw new TimeoutException("killed"); }));

        Assert.Equal(before, Snapshot(folder));
        Assert.Equal(["quick-seed-2"], Directory.GetDirectories(experiment).Select(Path.GetFileName));

        // A kill mid-seed leaves the staging folder; the next run of the seed removes it and completes.
        Directory.CreateDirectory(StagedSeedFolder.PartialOf(folder));
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 2);

        Assert.Equal(["quick-seed-2"], Directory.GetDirectories(experiment).Select(Path.GetFileName));
        Assert.Equal(before["metrics.csv"], Snapshot(folder)["metrics.csv"]);
    }

    [Fact]
    public void An_interrupted_run_resumes_the_seeds_that_finished()
    {
        // What a run killed during seed 2 leaves: seed 1's cache entry, and an output folder without it
        // (the staging copy is discarded).
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(Path.Combine(_dir, "reports"), 1, Quick: true, Recompute: false) { Cache = new SeedCache(Path.Combine(_dir, "cache")) };
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);
        Directory.Delete(options.OutputRoot, recursive: true);

        var runner = new ExperimentRunner(options) { FloorSamples = 2000 };
        var one = runner.Run(definition, 1);
        var two = runner.Run(definition, 2);

        Assert.True(one.Reused);
        Assert.False(two.Reused);
        Assert.True(File.Exists(Path.Combine(options.SeedFolder(definition.Name, 1), "metrics.csv")));
        Assert.True(new ExperimentRunner(options).Run(definition, 2).Reused);
    }

    [Fact]
    public void A_diverging_run_is_marked_with_its_step()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var exploding = definition with { Training = definition.Training! with { LearningRate = 1e9 } };

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Recompute: true)) { FloorSamples = 2000 }.Run(exploding, 1);

        Assert.Equal(RunStatus.Diverged, record.Status);
        Assert.NotNull(record.DivergedAtStep);
        Assert.True(File.Exists(Path.Combine(_dir, definition.Name, "quick-seed-1", "run.json")));
    }

    [Fact]
    public void Data_with_a_particle_shape_gets_the_equivariance_rows_of_its_trained_score()
    {
        // A Gaussian mixture in R⁶ declared as 2 points in R³, with a flat MLP: the rows are computed
        // (max and p99 per family) for both references, and the MLP is not rotation-equivariant.
        var definition = ExperimentDefinition.Load(Path.Combine(RepoRoot(), "tests", "Repro.Core.Tests", "Fixtures", "valid", "particles-3d.json"));
        var options = new RunOptions(_dir, 1, Quick: true, Recompute: false);

        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);

        var rows = new SeedFiles(options.SeedFolder(definition.Name, 1)).ReadMetrics()
            .Where(r => r.Reconstruction == MetricNames.TrainingReconstruction && r.Metric.StartsWith("equivariance-error-", StringComparison.Ordinal))
            .ToArray();
        foreach (string family in new[] { "rotation", "reflection", "translation", "permutation" })
            foreach (string reference in new[] { Evaluator.PSigma, Evaluator.P0 })
            {
                var max = Assert.Single(rows, r => r.Metric == "equivariance-error-" + family && r.Reference == reference);
                var p99 = Assert.Single(rows, r => r.Metric == "equivariance-error-" + family + "-p99" && r.Reference == reference);
                Assert.True(double.IsFinite(max.Value) && p99.Value <= max.Value, $"{family}/{reference}: max {max.Value}, p99 {p99.Value}");
            }
        Assert.True(rows.Single(r => r.Metric == "equivariance-error-rotation" && r.Reference == Evaluator.PSigma).Value >= 0.1);
    }

    [Fact]
    public void The_step_ladder_reruns_the_sampler_on_coarser_grids_and_its_last_rung_is_the_reconstruction()
    {
        // The exact-score probability-flow ODE of the two blobs (Heun, 40 intervals, 81 evaluations with the Tweedie
        // mean) at the ladder's fractions 1/40 … 1/2 of its grid (1, 2, 5, 10, 20 intervals): evaluations rise rung by rung, the last rung is the
        // reconstruction itself (its KS distance is the evaluator's ks-statistic against p₀, bit for bit), and the
        // coarsest grid is far from p₀.
        var full = Definition("dsm-2d-two-blobs-diffusion");
        var definition = full with { Reconstructions = full.Reconstructions.Where(r => r.Name == "probability-flow-exact").ToArray(), Gates = [] };
        var options = new RunOptions(_dir, 1, Quick: true, Recompute: false);

        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);

        var rows = new SeedFiles(options.SeedFolder(definition.Name, 1)).ReadMetrics()
            .Where(r => r.Reconstruction == "probability-flow-exact" && r.Reference == Evaluator.P0).ToArray();
        int rungs = definition.Reconstructions[0].StepLadder.Count + 1;
        double[] evaluations = Enumerable.Range(1, rungs).Select(k => rows.Single(r => r.Metric == $"ladder-evaluations-{k}").Value).ToArray();
        double[] ks = Enumerable.Range(1, rungs).Select(k => rows.Single(r => r.Metric == $"ladder-ks-{k}").Value).ToArray();
        Assert.Equal(6, rungs);
        Assert.Equal([3, 5, 11, 21, 41, 81], evaluations);
        Assert.True(evaluations.Zip(evaluations.Skip(1)).All(p => p.First < p.Second), string.Join(", ", evaluations));
        Assert.Equal(definition.Reconstructions[0].Sampler.CreateSampler().Steps, evaluations[^1]);
        Assert.Equal(rows.Single(r => r.Metric == MetricNames.KsStatistic).Value, ks[^1]);
        Assert.True(ks[0] > 0.3 && ks[^1] < 0.1, $"KS by rung: {string.Join(", ", ks)}");
    }

    [Fact]
    public void A_noise_conditional_network_trained_over_a_schedule_drives_the_annealed_and_schedule_samplers()
    {
        // Validation no longer refuses a learned score for samplers that follow many levels when the model
        // reads σ; the floor is the schedule's λ-weighted one, and every reconstruction finishes.
        var definition = ExperimentDefinition.Load(Path.Combine(RepoRoot(), "tests", "Repro.Core.Tests", "Fixtures", "valid", "trained-noise-conditional.json"));
        var target = definition.Data.BuildTarget();

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Recompute: false)) { FloorSamples = 2000 }.Run(definition, 2);

        Assert.Equal(RunStatus.Ok, record.Status);
        var floor = definition.Training!.Objective.Floor(target, 2000, new Repro.Core.Random.RandomStream(2).Child("floor"));
        Assert.Equal(floor.Floor, record.Training!.LossFloor);
        var files = new SeedFiles(Path.Combine(_dir, definition.Name, "quick-seed-2"));
        foreach (var rec in definition.Reconstructions)
            Assert.All(files.ReadSamples(rec.Name).Data, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void An_egnn_trained_on_particle_data_is_equivariant_to_float32_rounding()
    {
        // The same data with model.kind "egnn": NetworkCatalog builds EgnnScoreNet, the trainer and the learned
        // score run it unchanged, and its equivariance rows are float32 rounding (the flat MLP's are ≥ 0.1).
        var mlp = ExperimentDefinition.Load(Path.Combine(RepoRoot(), "tests", "Repro.Core.Tests", "Fixtures", "valid", "particles-3d.json"));
        var definition = mlp with { Model = new EgnnDefinition(8, 2) };
        var options = new RunOptions(_dir, 1, Quick: true, Recompute: false);

        var record = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);

        Assert.Equal(RunStatus.Ok, record.Status);
        var rows = new SeedFiles(options.SeedFolder(definition.Name, 1)).ReadMetrics()
            .Where(r => r.Reconstruction == MetricNames.TrainingReconstruction && r.Metric.StartsWith("equivariance-error-", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(16, rows.Length);
        Assert.All(rows, r => Assert.True(r.Value <= 1e-4, $"{r.Metric}/{r.Reference}: {r.Value}"));
    }
}
