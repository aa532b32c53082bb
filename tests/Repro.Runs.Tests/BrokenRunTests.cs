using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Results;

namespace Repro.Runs.Tests;

/// <summary>The fast version of <c>make calibrate</c>'s broken runs: the gates catch them at quick settings.</summary>
public sealed class BrokenRunTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-broken-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static IReadOnlyList<GateVerdict> Gates(ExperimentDefinition definition, RunOptions options, long seed)
    {
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, seed);
        var rows = MetricsCsv.Read(Path.Combine(options.SeedFolder(definition.Name, seed), "metrics.csv"));
        return GateEvaluator.Evaluate(definition, [seed], rows);
    }

    [Theory]
    [InlineData(Fault.FlippedScore, "forward-backward", "ks-statistic")]
    [InlineData(Fault.WrongSigma, "training", "score-relative-l2")]
    [InlineData(Fault.Untrained, "training", "score-relative-l2")]
    [InlineData(Fault.LargeStep, "forward-backward-exact", "mh-rejection")]
    public void A_broken_run_misses_the_gate_that_should_catch_it(Fault fault, string reconstruction, string metric)
    {
        var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-1d-two-gaussians.json"));

        var verdicts = Gates(definition, new RunOptions(_dir, 1, Quick: true, Recompute: false) { Fault = fault }, 1);

        Assert.Contains(verdicts, v => !v.Passed && v.Gate.Reconstruction == reconstruction && v.Gate.Metric == metric);
    }

    /// <summary>The gates of a correct quick run of dsm-2d-two-blobs-diffusion, seed 1 (computed once for the theory below).</summary>
    static readonly Lazy<IReadOnlyList<GateVerdict>> CorrectDiffusion = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("repro-broken-correct-").FullName;
        try
        {
            var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-2d-two-blobs-diffusion.json"));
            return Gates(definition, new RunOptions(dir, 1, Quick: true, Recompute: false), 1);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    });

    [Theory]
    [InlineData(Fault.ConstantNoiseLabel, "reverse-sde")]
    [InlineData(Fault.WrongSchedule, "probability-flow")]
    [InlineData(Fault.ReversedProbabilityFlow, "probability-flow")]
    public void A_broken_diffusion_run_misses_the_variance_gate_a_correct_one_meets(Fault fault, string reconstruction)
    {
        var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-2d-two-blobs-diffusion.json"));
        static GateVerdict Variance(IReadOnlyList<GateVerdict> verdicts, string reconstruction) =>
            verdicts.Single(v => v.Gate.Reconstruction == reconstruction && v.Gate.Metric == "variance-ratio-deviation");

        var correct = Variance(CorrectDiffusion.Value, reconstruction);
        var broken = Variance(Gates(definition, new RunOptions(_dir, 1, Quick: true, Recompute: false) { Fault = fault }, 1), reconstruction);

        Assert.True(correct.Passed, correct.Message);
        Assert.False(broken.Passed, broken.Message);
    }

    [Fact]
    public void A_sampler_fault_changes_only_the_samplers_it_concerns()
    {
        // The batch-averaged corrector changes dsm-2d-two-blobs-diffusion's predictor–corrector runs and nothing else.
        var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-2d-two-blobs-diffusion.json"));
        var defect = Fault.BatchAveragedCorrector.SamplerDefect();
        Assert.Contains(definition.Reconstructions, r => r.Sampler is PredictorCorrectorSampler);
        Assert.All(definition.Reconstructions.Where(r => r.Sampler is not PredictorCorrectorSampler), r => Assert.Same(r.Sampler, r.Sampler.WithDefect(defect)));
        Assert.All(definition.Reconstructions.Where(r => r.Sampler is PredictorCorrectorSampler), r => Assert.NotEqual(r.Sampler, r.Sampler.WithDefect(defect)));
        Assert.Equal(Core.Sampling.SamplerDefect.None, Fault.ConstantNoiseLabel.SamplerDefect());
    }

    [Fact]
    public void The_control_flags_plain_langevin_and_passes_annealed_langevin()
    {
        var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "ncsn-mode-weights.json"));

        var verdicts = Gates(definition, new RunOptions(_dir, 1, Quick: true, Recompute: false), 1);

        Assert.All(verdicts, v => Assert.True(v.Passed, v.Message));
        Assert.Contains(verdicts, v => v.Gate.Reconstruction == "plain-langevin" && v.Gate.Comparator == ">=");
    }

    [Fact]
    public void The_control_catches_a_step_ten_times_too_large_in_both_samplers()
    {
        var definition = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "ncsn-mode-weights.json"));

        var verdicts = Gates(definition, new RunOptions(_dir, 1, Quick: true, Recompute: false) { Fault = Fault.LargeStep }, 1);

        Assert.Contains(verdicts, v => !v.Passed && v.Gate.Reconstruction == "plain-langevin" && v.Gate.Metric == "mh-rejection");
        Assert.Contains(verdicts, v => !v.Passed && v.Gate.Reconstruction == "annealed-langevin" && v.Gate.Metric == "mh-rejection");
    }
}
