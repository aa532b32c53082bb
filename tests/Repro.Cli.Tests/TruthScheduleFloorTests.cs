using System.Globalization;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro truth --floor</c> for schedule-dsm experiments (the λ-weighted floor over the schedule's levels) against
/// closed forms for a Gaussian p₀; the floor's JSON written without \u escapes; <c>--sigma 0</c> as p₀ itself.
/// </summary>
public sealed class TruthScheduleFloorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-truth-floor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A 2D Gaussian N((1, −2), v·I) trained by schedule-dsm with <paramref name="training"/>'s extra keys.</summary>
    string GaussianExperiment(double variance, string training)
    {
        string v = variance.ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(_dir, "gauss-schedule.json"), $$"""
            {
              "name": "gauss-schedule",
              "description": "A Gaussian trained over a schedule, for the floor's closed form.",
              "reproduces": "nothing: a test fixture",
              "seeds": [1],
              "data": { "n": 100, "components": [ { "kind": "gaussian", "weight": 1, "mean": [1, -2], "covariance": [[{{v}}, 0], [0, {{v}}]] } ] },
              "model": { "kind": "mlp", "hidden": 8, "layers": 1, "conditioning": { "kind": "noise-embedding", "sigmaData": 1, "frequencies": 2, "scale": 1 } },
              "training": { "objective": "schedule-dsm", {{training}}, "optimizer": { "kind": "adam", "learningRate": 1e-3 }, "batchSize": 16, "steps": 10 },
              "reconstructions": [ { "name": "sde", "score": { "kind": "learned" }, "start": { "kind": "gaussian", "std": 20 },
                "sampler": { "kind": "reverse-sde", "schedule": { "kind": "ve", "sigmaMin": 0.01, "sigmaMax": 20 }, "steps": 10 }, "particles": 10 } ],
              "evaluation": { "referenceSize": 100, "permutations": 10, "projections": 4, "bootstrap": 10 },
              "gates": [],
              "quick": { "trainingSteps": 5, "particles": 10, "referenceSize": 50, "permutations": 10 }
            }
            """);
        return _dir;
    }

    [Fact]
    public void The_ve_floor_of_a_gaussian_is_the_closed_form_integral_over_the_levels()
    {
        // p₀ = N(μ, vI): J(p_σ) = d/(v + σ²), so λ(d/σ² − J)/d = v/(v + σ²) with λ = σ². With σ = σ_min r^t, t ~ U[0, 1],
        // r = σ_max/σ_min: ∫₀¹ v/(v + σ(t)²) dt = [ln(σ_max²/(v + σ_max²)) − ln(σ_min²/(v + σ_min²))]/(2 ln r).
        const double v = 2.5, lo = 0.01, hi = 20;
        double expected = (Math.Log(hi * hi / (v + hi * hi)) - Math.Log(lo * lo / (v + lo * lo))) / (2 * Math.Log(hi / lo));
        string folder = GaussianExperiment(v, "\"schedule\": { \"kind\": \"ve\", \"sigmaMin\": 0.01, \"sigmaMax\": 20 }");

        var run = CliRun.Of("truth", "gauss-schedule", "--experiments", folder, "--floor", "--json", "--samples", "200000");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        double floor = json.GetProperty("floor").GetDouble(), se = json.GetProperty("standard_error").GetDouble();
        Assert.True(Math.Abs(floor - expected) < 4 * se, $"floor {floor:R} ± {se:G3}, closed form {expected:R}");
        Assert.InRange(se, 1e-5, 0.01);
        Assert.Equal("schedule-dsm", json.GetProperty("objective").GetString());
        Assert.Equal("ve", json.GetProperty("schedule").GetString());
        Assert.Equal(1.0, json.GetProperty("zero_score_loss").GetDouble(), 12); // λ/σ² = 1 at every level
        Assert.Equal(0.01, json.GetProperty("sigma_min").GetDouble(), 15);
        Assert.Equal(20, json.GetProperty("sigma_max").GetDouble(), 12);
    }

    [Fact]
    public void With_edm_weighting_and_sigma_data_squared_equal_to_the_variance_the_floor_is_one_at_every_level()
    {
        // p₀ = N(μ, vI): per dimension λ(1/σ² − 1/(v + σ²)) with λ = σ²(σ² + σ_d²)/σ_d² is (σ² + σ_d²)v/(σ_d²(v + σ²)), 1 when σ_d² = v.
        string folder = GaussianExperiment(2.25,
            "\"schedule\": { \"kind\": \"edm\", \"sigmaMin\": 0.002, \"sigmaMax\": 80 }, \"levels\": \"log-normal\", \"weighting\": \"edm\", \"sigmaData\": 1.5");

        var run = CliRun.Of("truth", "gauss-schedule", "--experiments", folder, "--floor", "--samples", "100000");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var m = System.Text.RegularExpressions.Regex.Match(run.Out, @"\): ([0-9.]+) ± ([0-9.]+) \(stratified Monte Carlo SE: 100 levels × 1000 draws, seed 0\), per dimension, d = 2");
        Assert.True(m.Success, run.Out);
        double floor = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), se = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(floor - 1) < 4 * se + 1e-12, $"floor {floor} ± {se}");
        Assert.StartsWith("gauss-schedule: schedule-DSM loss floor over the edm schedule (log-normal levels (P_mean -1.2, P_std 1.2); λ = σ²(σ² + σ_d²)/σ_d², σ_d = 1.5): ", run.Out);
        Assert.Contains("--sigma S gives the single-σ floor at S", run.Out);
    }

    [Fact]
    public void The_diffusion_experiments_floor_is_the_runs_and_sigma_still_gives_the_single_level_floor()
    {
        var schedule = CliRun.Of("truth", "dsm-2d-two-blobs-diffusion", "--experiments", RepoPaths.Experiments, "--floor", "--json", "--samples", "20000");
        var single = CliRun.Of("truth", "dsm-2d-two-blobs-diffusion", "--experiments", RepoPaths.Experiments, "--floor", "--json", "--sigma", "1.25");

        Assert.Equal(ReproApp.Ok, schedule.ExitCode);
        var json = JsonDocument.Parse(schedule.Out).RootElement;
        double floor = json.GetProperty("floor").GetDouble(), se = json.GetProperty("standard_error").GetDouble();
        // Bounds in closed form, F(v) = [ln(σ_max²/(v + σ_max²)) − ln(σ_min²/(v + σ_min²))]/(2 ln(σ_max/σ_min)) being the
        // floor of N(μ, vI) (test above). Fisher information is convex, so J(p_σ) ≤ the blobs' d/(1 + σ²): floor ≥ F(1).
        // Cramér–Rao per coordinate, J ≥ 1/Var: Var = 17 + σ² along x, 1 + σ² along y, so floor ≤ (F(17) + F(1))/2.
        static double F(double v) => (Math.Log(400 / (v + 400)) - Math.Log(1e-4 / (v + 1e-4))) / (2 * Math.Log(2000));
        Assert.InRange(floor, F(1) - 4 * se, (F(17) + F(1)) / 2 + 4 * se);
        Assert.Equal(20000, json.GetProperty("samples").GetInt32());
        // With --sigma the single-level floor as before: SciPy dblquad (Core's Fixtures/targets/loss_floor.json), 0.2729246512243738.
        Assert.Equal(ReproApp.Ok, single.ExitCode);
        var one = JsonDocument.Parse(single.Out).RootElement;
        Assert.Equal("quadrature", one.GetProperty("method").GetString());
        Assert.Equal(0.2729246512243738, one.GetProperty("floor").GetDouble(), 9);
    }

    [Fact]
    public void The_floor_json_writes_plus_signs_plainly()
    {
        var single = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor", "--json");
        var schedule = CliRun.Of("truth", "dsm-2d-two-blobs-diffusion", "--experiments", RepoPaths.Experiments, "--floor", "--json", "--samples", "2000");

        foreach (var run in new[] { single, schedule })
        {
            Assert.Equal(ReproApp.Ok, run.ExitCode);
            Assert.DoesNotContain("\\u", run.Out);
            Assert.Contains("(s_theta(x", run.Out);
            Assert.Contains(" + eps/sigma)^2", run.Out);
        }
    }

    [Fact]
    public void Sigma_zero_gives_p0_itself()
    {
        string points = Path.Combine(_dir, "p.csv");
        File.WriteAllText(points, "x1,x2\n0,0\n-5,0.5\n3,-1\n");

        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--points", points, "--sigma", "0");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x1,x2,logp,score1,score2,logp_sigma,score_sigma1,score_sigma2", lines[0]);
        foreach (string line in lines[1..])
        {
            var v = line.Split(',');
            Assert.Equal(v[2..5], v[5..8]);
        }
        // 0.5 N((−5, 0), I) + 0.5 N((3, 0), I) at (−5, 0.5): ln(0.5 φ₂(0, 0.5) + 0.5 φ₂(−8, 0.5)), φ₂ the standard 2D normal.
        double expected = Math.Log(0.5 * Math.Exp(-0.125) / (2 * Math.PI) + 0.5 * Math.Exp(-0.5 * (64 + 0.25)) / (2 * Math.PI));
        Assert.Equal(expected, double.Parse(lines[2].Split(',')[5], CultureInfo.InvariantCulture), 12);
    }

    [Theory]
    [InlineData(new[] { "--sigma", "0", "--scale", "0" }, "error: --sigma 0 with --scale 0: the law of 0·x₀ + 0·ε is a point mass at the origin, with no density; give --sigma > 0 or --scale > 0")]
    [InlineData(new[] { "--sigma", "-1" }, "error: --sigma: must be ≥ 0 and finite (got -1)")]
    public void A_law_without_a_density_is_refused_in_one_line(string[] options, string message)
    {
        string points = Path.Combine(_dir, "p.csv");
        File.WriteAllText(points, "x1\n0\n");

        var run = CliRun.Of(["truth", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments, "--points", points, .. options]);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([message], run.ErrorLines);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void The_floor_at_sigma_zero_is_refused()
    {
        var run = CliRun.Of("truth", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--floor", "--sigma", "0");

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal(["error: --floor: needs σ > 0 (the DSM floor d/σ² − J(p_σ) diverges at σ = 0)"], run.ErrorLines);
    }
}
