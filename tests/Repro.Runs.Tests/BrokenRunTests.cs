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
