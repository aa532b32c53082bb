using System.Text.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Core.Tests.Metrics;

namespace Repro.Core.Tests.Targets;

public sealed class NoisyShellComponentTests
{
    static readonly RandomStream Root = new RandomStream(16).Child("noisy-shell");

    static readonly NoisyShellComponent[] Shells = [new(2.0, 0.3), new(5.0, 0.5), new(0.5, 1.0), new(0.0, 0.7)];

    static IEnumerable<JsonElement> Fixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "targets", "shells.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void Log_density_and_score_match_SciPy_integration_over_the_sphere()
    {
        foreach (var c in Fixture())
        {
            var shell = new NoisyShellComponent(c.D("radius"), c.D("jitter"));
            var s = new Smoothing(c.D("scale"), c.D("sigma"));
            var score = new double[3];
            double logp = shell.LogDensity(c.Doubles("x"), s, score);
            // SciPy: dblquad over the sphere of N(x; ρu, vI)/(4π), epsrel 1e-11 (make_fixtures.py).
            MetricsFixture.Close(c.D("logp"), logp, 1e-9, 1e-9, $"log p at {s}");
            double[] expected = c.Doubles("score");
            for (int j = 0; j < 3; j++) MetricsFixture.Close(expected[j], score[j], 1e-7, 1e-9, $"score[{j}] at {s}");
        }
    }

    [Fact]
    public void Score_matches_finite_difference_of_log_density()
    {
        var rng = Root.Child("fd");
        foreach (var shell in Shells)
            foreach (var s in TargetAssert.Smoothings)
            {
                var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(shell, n, r), 12, s, rng.Child($"{s}"));
                for (int i = 0; i < x.Count; i++)
                    TargetAssert.ComponentScoreMatchesFiniteDifference(shell, x.Row(i).ToArray(), s, $"{s} row {i}");
                // Near the centre (κ → 0, the series branch) and on both sides of its switch.
                foreach (double r in new[] { 1e-9, 1e-3, 0.05, 0.3 })
                    TargetAssert.ComponentScoreMatchesFiniteDifference(shell, [r, -0.5 * r, 0.25 * r], s, $"{s} near the centre, r = {r}");
            }
    }

    [Fact]
    public void Log_density_and_score_stay_finite_and_exact_far_from_the_shell()
    {
        // For κ = ρ‖x‖/v large, log(sinh κ/κ) = κ − log(2κ) + O(e^{−2κ}) and L(κ) = 1 − 1/κ + O(e^{−2κ}).
        var shell = new NoisyShellComponent(2.0, 0.3);
        double v = 0.09, rho = 2.0;
        foreach (double r in new[] { 10.0, 1e4, 1e8, 1e150, 1e300 })
        {
            var score = new double[3];
            double logp = shell.LogDensity([0, r, 0], Smoothing.None, score);
            double kappa = rho * r / v;
            double expectedScore = -r / v + rho / v * (1 - 1 / kappa);
            Assert.True(double.IsFinite(logp) || r > 1e150, $"log p = {logp} at r = {r}");
            MetricsFixture.Close(expectedScore, score[1], 1e-12, 0, $"score at r = {r}");
            Assert.Equal(0.0, score[0]);
            if (r <= 1e8)
                MetricsFixture.Close(-1.5 * Math.Log(2 * Math.PI * v) - (r * r + rho * rho) / (2 * v) + kappa - Math.Log(2 * kappa), logp, 1e-13, 0, $"log p at r = {r}");
        }
    }

    [Fact]
    public void Small_sigma_recovers_p0()
    {
        var shell = new NoisyShellComponent(2.0, 0.3);
        double[] x = [1.1, -0.9, 1.3];
        var s0 = new double[3];
        var s1 = new double[3];
        double l0 = shell.LogDensity(x, Smoothing.None, s0);
        double l1 = shell.LogDensity(x, Smoothing.Gaussian(1e-5), s1);
        Assert.True(Math.Abs(l1 - l0) < 1e-7, $"log p: {l0} vs {l1}");
        for (int j = 0; j < 3; j++) Assert.True(Math.Abs(s1[j] - s0[j]) < 1e-6 * (1 + Math.Abs(s0[j])), $"score[{j}]: {s0[j]} vs {s1[j]}");
    }

    [Fact]
    public void Samples_match_the_moments_the_marginal_CDF_and_the_Stein_identity()
    {
        var rng = Root.Child("samples");
        foreach (var shell in Shells)
            foreach (var s in new[] { Smoothing.None, Smoothing.Gaussian(0.5), new Smoothing(0.8, 0.6) })
            {
                var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(shell, n, r), 20_000, s, rng.Child($"{shell.GetHashCode()}-{s}"));
                TargetAssert.MomentsMatchSample(shell.Mean(s), shell.Covariance(s), x);
                for (int j = 0; j < 3; j++)
                    TargetAssert.MarginalCdfMatchesSample(v => shell.MarginalCdf(j, v, s), x.Column(j), $"coordinate {j} at {s}");
                var score = Points.Zeros(x.Count, 3);
                for (int i = 0; i < x.Count; i++) shell.LogDensity(x.Row(i), s, score[i]);
                TargetAssert.SteinIdentityHolds(x, score);
            }
    }

    [Fact]
    public void Density_integrates_to_one_along_radii()
    {
        // ∫ p = ∫₀^∞ 4π r² p(r) dr for a rotation-invariant p; composite Simpson on [0, 12] (tail < 1e-30).
        foreach (var shell in Shells)
        {
            const int n = 24_000;
            double h = 12.0 / n, sum = 0;
            for (int i = 0; i <= n; i++)
            {
                double r = i * h, w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
                sum += w * 4 * Math.PI * r * r * Math.Exp(shell.LogDensity([r, 0, 0], Smoothing.Gaussian(0.4), Span<double>.Empty));
            }
            Assert.True(Math.Abs(sum * h / 3 - 1) < 1e-9, $"∫ p = {sum * h / 3}");
        }
    }

    [Fact]
    public void Weights_0_8_and_0_2_give_a_mixture_whose_score_matches_finite_differences()
    {
        var mixture = new Mixture([0.8, 0.2], [new NoisyShellComponent(1.0, 0.2), new NoisyShellComponent(4.0, 0.3)]);
        var x = mixture.Sample(20, Root.Child("mixture"));
        foreach (var s in TargetAssert.Smoothings) TargetAssert.MixtureScoreMatchesFiniteDifference(mixture, x, s, "shells 0.8/0.2");
    }

    [Fact]
    public void Laplacian_of_log_density_matches_central_differences_of_the_score()
    {
        var rng = new RandomStream(16).Child("laplacian");
        IComponent[] components = [new NoisyShellComponent(2.0, 0.3), new NoisyShellComponent(0.5, 1.0), new CentredGaussianCloudComponent(4, 0.7)];
        foreach (var c in components)
            foreach (var s in TargetAssert.Smoothings)
                foreach (double scale in new[] { 1e-3, 0.2, 1.0, 3.0 })
                {
                    var x = new double[c.Dimension];
                    rng.FillGaussian(x);
                    for (int j = 0; j < x.Length; j++) x[j] *= scale;
                    double fd = 0;
                    var plus = new double[x.Length];
                    var minus = new double[x.Length];
                    for (int k = 0; k < x.Length; k++)
                    {
                        double h = 1e-5 * Math.Max(1, Math.Abs(x[k]));
                        var xp = (double[])x.Clone();
                        var xm = (double[])x.Clone();
                        xp[k] += h;
                        xm[k] -= h;
                        c.LogDensity(xp, s, plus);
                        c.LogDensity(xm, s, minus);
                        fd += (plus[k] - minus[k]) / (2 * h);
                    }
                    double exact = c.LaplacianOfLogDensity(x, s);
                    Assert.True(Math.Abs(exact - fd) <= 1e-6 * (1 + Math.Abs(exact)), $"{c.GetType().Name} {s} |x| ~ {scale}: closed form {exact:R}, central difference {fd:R}");
                }
    }

    [Fact]
    public void Invalid_parameters_and_the_point_mass_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new NoisyShellComponent(-1, 0.3));
        Assert.Throws<ArgumentException>(() => new NoisyShellComponent(1, 0));
        Assert.Throws<ArgumentException>(() => new NoisyShellComponent(double.NaN, 0.3));
        Assert.Throws<ArgumentException>(() => new NoisyShellComponent(1, 0.3).LogDensity([0, 0, 0], new Smoothing(0, 0), Span<double>.Empty));
    }
}
