using System.Globalization;

namespace Repro.Cli.Tests;

public sealed class TruthCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-truth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Truth_writes_log_densities_and_scores_in_round_trip_precision()
    {
        string points = Path.Combine(_dir, "p.csv");
        File.WriteAllText(points, "x1\n0\n2\n");

        var run = CliRun.Of("truth", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments, "--points", points, "--sigma", "1");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x1,logp,score1,logp_sigma,score_sigma1", lines[0]);
        var atZero = lines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // At x = 0 the symmetric mixture 0.5 N(−2,1) + 0.5 N(2,1) has log p = log φ(2) and zero score;
        // p_σ at σ = 1 is 0.5 N(−2,2) + 0.5 N(2,2), so log p_σ(0) = log N(0; 2, 2).
        Assert.Equal(-0.5 * Math.Log(2 * Math.PI) - 2, atZero[1], 1e-12);
        Assert.Equal(0, atZero[2], 1e-12);
        Assert.Equal(-0.5 * Math.Log(2 * Math.PI * 2) - 1, atZero[3], 1e-12);
        Assert.Equal(0, atZero[4], 1e-12);
    }

    [Fact]
    public void Truth_refuses_a_non_numeric_point_with_its_line()
    {
        string points = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(points, "x1,x2\n1,2\n3,NaN\n");

        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--points", points);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {points}:3: x2 must be finite (got NaN)"], run.ErrorLines);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Truth_floor_prints_the_floor_and_its_standard_error()
    {
        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor", "--samples", "20000");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Matches(@"^dsm-2d-two-blobs: DSM loss floor at σ = 1\.25: 0\.2\d+ ± 0\.00\d+ ", run.Out);
    }
}
