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
        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor", "--samples", "20000", "--monte-carlo");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Matches(@"^dsm-2d-two-blobs: DSM loss floor at σ = 1\.25: 0\.2\d{3} ± 0\.00\d{2} \(Monte Carlo SE", run.Out);
        Assert.Contains("loss convention: the mean over batch and dimensions of (s_θ(x + σε) + ε/σ)², no ½, no σ² weighting", run.Out);
    }

    [Fact]
    public void Truth_floor_in_2D_is_the_quadrature_value()
    {
        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        // SciPy dblquad (Core's Fixtures/targets/loss_floor.json): 0.2729246512243738.
        Assert.StartsWith("dsm-2d-two-blobs: DSM loss floor at σ = 1.25: 0.272924651224 (trapezoid quadrature on ", run.Out);
    }

    [Fact]
    public void Truth_floor_json_gives_the_floor_and_its_convention()
    {
        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor", "--samples", "20000", "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(run.Out).RootElement;
        Assert.InRange(json.GetProperty("floor").GetDouble(), 0.2, 0.3);
        Assert.Equal("quadrature", json.GetProperty("method").GetString());
        Assert.Equal(1.25, json.GetProperty("sigma").GetDouble());
        Assert.Contains("no 1/2", json.GetProperty("convention").GetString());
    }

    [Fact]
    public void Truth_evaluates_3D_targets_a_cloud_being_one_row_of_3K_columns()
    {
        // Core's valid fixtures: two noisy shells (d = 3) and two 4-point rotated templates (d = 12).
        string fixtures = Path.Combine(RepoPaths.Root, "tests", "Repro.Core.Tests", "Fixtures", "valid");
        string shells = Path.Combine(_dir, "shells.csv");
        File.WriteAllText(shells, "x1,x2,x3\n0.5,-1.2,1.4\n");
        string clouds = Path.Combine(_dir, "clouds.csv");
        File.WriteAllText(clouds, "x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,x12\n-0.6,-0.6,-0.2,0.9,-0.6,-0.2,-0.6,0.4,-0.2,-0.6,-0.6,0.5\n");

        var shellRun = CliRun.Of("truth", Path.Combine(fixtures, "shells-3d.json"), "--points", shells, "--sigma", "0.5");
        var cloudRun = CliRun.Of("truth", Path.Combine(fixtures, "clouds-3d.json"), "--points", clouds, "--sigma", "0.5");

        Assert.Equal(ReproApp.Ok, shellRun.ExitCode);
        Assert.Equal(ReproApp.Ok, cloudRun.ExitCode);
        var shellLines = shellRun.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x1,x2,x3,logp,score1,score2,score3,logp_sigma,score_sigma1,score_sigma2,score_sigma3", shellLines[0]);
        var cloudLines = cloudRun.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var row = cloudLines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12 + 1 + 12 + 1 + 12, row.Length);
        Assert.All(row, v => Assert.True(double.IsFinite(v)));
        // p_σ at σ = 0.5 of 0.8 shell(1, 0.2) + 0.2 shell(4, 0.3) at (0.5, −1.2, 1.4): the closed form
        // −(3/2)log(2πv) − (‖x‖² + r²)/(2v) + log(sinh κ/κ), κ = r‖x‖/v, mixed with the weights.
        var x = new[] { 0.5, -1.2, 1.4 };
        double norm = Math.Sqrt(x.Sum(c => c * c));
        double Log(double r, double s)
        {
            double v = s * s + 0.25, k = r * norm / v;
            return -1.5 * Math.Log(2 * Math.PI * v) - (norm * norm + r * r) / (2 * v) + Math.Log(Math.Sinh(k) / k);
        }
        double expected = Math.Log(0.8 * Math.Exp(Log(1, 0.2)) + 0.2 * Math.Exp(Log(4, 0.3)));
        Assert.Equal(expected, double.Parse(shellLines[1].Split(',')[7], CultureInfo.InvariantCulture), 1e-12);
    }
}
