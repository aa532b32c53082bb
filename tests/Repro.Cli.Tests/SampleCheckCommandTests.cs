using System.Text.Json;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Results;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro sample-check</c>: NumPy-drawn samples of dsm-2d-two-blobs' p₀ (tests/Repro.Results.Tests/Fixtures/npy,
/// made by make_npy.py) pass against p₀ and fail against p_σ; exact draws of p_σ pass against p_σ.
/// </summary>
public sealed class SampleCheckCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-sample-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Npy(string name) => Path.Combine(RepoPaths.Root, "tests", "Repro.Results.Tests", "Fixtures", "npy", name);

    static CliRun Check(params string[] args) => CliRun.Of(["sample-check", .. args, "--experiments", RepoPaths.Experiments, "--json", "--quick"]);

    [Fact]
    public void NumPy_draws_of_p0_are_consistent_with_p0_under_the_whole_suite_with_null_baselines()
    {
        var run = Check(Npy("samples-f8.npy"), "--against", "dsm-2d-two-blobs", "--sigma", "0");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        var verdict = json.GetProperty("verdict");
        Assert.True(verdict.GetProperty("consistent").GetBoolean());
        Assert.Equal("p0", verdict.GetProperty("reference").GetString());
        Assert.Equal("p₀ of dsm-2d-two-blobs (--sigma)", verdict.GetProperty("law").GetString());
        Assert.Equal(5, verdict.GetProperty("tests").GetInt32());
        var rows = json.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("reference").GetString(), r.GetProperty("metric").GetString())).ToHashSet();
        foreach (string metric in new[] { "ks-pvalue", "mmd2", "mmd-pvalue", "sliced-ks-pvalue", "mean-error", "variance-ratio-deviation", "mode-weight-pvalue", "ksd-pvalue" })
        {
            Assert.Contains(("p0", metric), rows);
            Assert.Contains(("null-p0", metric), rows);
        }
    }

    [Fact]
    public void The_same_draws_of_p0_differ_from_p_sigma_the_default_law_and_exit_1()
    {
        // No --sigma: p_σ at the training σ, the default of stats --against, truth and the gates.
        var run = Check(Npy("samples.npz"), "--against", "dsm-2d-two-blobs");

        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        var verdict = JsonDocument.Parse(run.Out).RootElement.GetProperty("verdict");
        Assert.False(verdict.GetProperty("consistent").GetBoolean());
        Assert.Equal("p-sigma", verdict.GetProperty("reference").GetString());
        Assert.Equal("p_σ of dsm-2d-two-blobs, σ = 1.25 (the training σ of dsm-2d-two-blobs; --sigma 0 for p₀)", verdict.GetProperty("law").GetString());
        Assert.True(verdict.GetProperty("smallest_pvalue").GetDouble() < 0.01 / 5);
    }

    [Fact]
    public void Exact_draws_of_p_sigma_are_consistent_with_p_sigma()
    {
        var target = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json")).Data.BuildTarget();
        string path = Path.Combine(_dir, "p-sigma.csv");
        PointsCsv.Write(path, target.Sample(400, Smoothing.Gaussian(1.25), new RandomStream(42).Child("test")));

        var run = Check(path, "--against", "dsm-1d-two-gaussians", "--sigma", "1.25");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var verdict = JsonDocument.Parse(run.Out).RootElement.GetProperty("verdict");
        Assert.True(verdict.GetProperty("consistent").GetBoolean());
        Assert.Equal(4, verdict.GetProperty("tests").GetInt32()); // d = 1: no sliced KS
        var skipped = JsonDocument.Parse(run.Out).RootElement.GetProperty("skipped").EnumerateArray()
            .ToDictionary(k => k.GetProperty("metric").GetString()!, k => k.GetProperty("reason").GetString());
        Assert.Equal("the data has one coordinate; projections need d ≥ 2", skipped["sliced-ks"]);
        // The conformer metrics need a data-set ensemble with held-out conformers; every other registered sample metric ran.
        Assert.Equal(["conformer-validity", "held-out-ks", "memorisation", "sliced-ks"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.All(["conformer-validity", "held-out-ks", "memorisation"], k => Assert.Equal("the data is not an ensemble of conformers with a held-out split (kind \"ensemble\")", skipped[k]));
    }

    [Fact]
    public void Samples_of_the_wrong_dimension_get_one_line_and_exit_2()
    {
        var run = CliRun.Of("sample-check", Npy("samples-1d-column.npy"), "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {Npy("samples-1d-column.npy")}: expected n × 2 samples for this experiment (got n × 1)"], run.ErrorLines);
    }
}
