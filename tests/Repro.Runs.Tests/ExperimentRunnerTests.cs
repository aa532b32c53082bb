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
        var a = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "a"), 1, Quick: true, Retrain: false)) { FloorSamples = 2000 };
        var b = new ExperimentRunner(new RunOptions(Path.Combine(_dir, "b"), 1, Quick: true, Retrain: false)) { FloorSamples = 2000 };

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
    public void A_finished_seed_is_not_redone_weights_are_reused_and_retrain_forces_training()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(_dir, 1, Quick: true, Retrain: false);
        string runJson = Path.Combine(options.SeedFolder(definition.Name, 3), "run.json");

        var first = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 3);
        byte[] finished = File.ReadAllBytes(runJson);
        var resumed = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 3);
        Assert.Equal(finished, File.ReadAllBytes(runJson));

        File.Delete(runJson); // an interrupted run: weights stored, sampling not finished
        var second = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 3);
        var forced = new ExperimentRunner(options with { Retrain = true }) { FloorSamples = 2000 }.Run(definition, 3);

        Assert.False(first.Training!.Reused);
        Assert.Equal(first.Seconds, resumed.Seconds);
        Assert.True(second.Training!.Reused);
        Assert.False(forced.Training!.Reused);
        Assert.Equal(first.Training.FinalLoss, second.Training.FinalLoss);
    }

    [Fact]
    public void A_sidecar_from_another_definition_is_never_reused()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(_dir, 1, Quick: true, Retrain: false);
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 4);

        var changed = definition with { Hash = new string('0', 64) };
        var record = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(changed, 4);

        Assert.False(record.Training!.Reused);
    }

    [Fact]
    public void A_stored_result_from_other_code_is_not_reused()
    {
        // A fault planted through the code identity: the same definition, seed, threads and packages,
        // but another build of Core/Training/Runs. Neither run.json nor the weights may be reused.
        var definition = Definition("dsm-1d-two-gaussians");
        var options = new RunOptions(_dir, 1, Quick: true, Retrain: false);
        var first = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 6);
        var again = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 6);

        var other = new ExperimentRunner(options with { Code = new string('f', 64) }) { FloorSamples = 2000 }.Run(definition, 6);

        Assert.Equal(64, CodeIdentity.Hash.Length);
        Assert.True(CodeIdentity.Files > 50);
        Assert.Equal(CodeIdentity.Hash, first.Code);
        Assert.True(again.Reused);
        Assert.False(other.Reused);
        Assert.False(other.Training!.Reused);
        Assert.Equal(new string('f', 64), other.Code);
        Assert.Equal(new string('f', 64), ResultsStore.ReadRun(options.SeedFolder(definition.Name, 6))!.Code);
    }

    [Fact]
    public void A_diverging_run_is_marked_with_its_step()
    {
        var definition = Definition("dsm-1d-two-gaussians");
        var exploding = definition with { Training = definition.Training! with { LearningRate = 1e9 } };

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Retrain: true)) { FloorSamples = 2000 }.Run(exploding, 1);

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
        var options = new RunOptions(_dir, 1, Quick: true, Retrain: false);

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
    public void A_noise_conditional_network_trained_over_a_schedule_drives_the_annealed_and_schedule_samplers()
    {
        // Validation no longer refuses a learned score for samplers that follow many levels when the model
        // reads σ; the floor is the schedule's λ-weighted one, and every reconstruction finishes.
        var definition = ExperimentDefinition.Load(Path.Combine(RepoRoot(), "tests", "Repro.Core.Tests", "Fixtures", "valid", "trained-noise-conditional.json"));
        var target = definition.Data.BuildTarget();

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Retrain: false)) { FloorSamples = 2000 }.Run(definition, 2);

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
        var options = new RunOptions(_dir, 1, Quick: true, Retrain: false);

        var record = new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);

        Assert.Equal(RunStatus.Ok, record.Status);
        var rows = new SeedFiles(options.SeedFolder(definition.Name, 1)).ReadMetrics()
            .Where(r => r.Reconstruction == MetricNames.TrainingReconstruction && r.Metric.StartsWith("equivariance-error-", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(16, rows.Length);
        Assert.All(rows, r => Assert.True(r.Value <= 1e-4, $"{r.Metric}/{r.Reference}: {r.Value}"));
    }
}
