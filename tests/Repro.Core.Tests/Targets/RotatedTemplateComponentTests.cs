using System.Text.Json;
using Repro.Core.Geometry;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Core.Tests.Metrics;

namespace Repro.Core.Tests.Targets;

public sealed class RotatedTemplateComponentTests
{
    static readonly RandomStream Root = new RandomStream(16).Child("rotated-template");

    /// <summary>A chiral tetrahedron (no mirror symmetry: three different arm lengths).</summary>
    static readonly double[] Chiral = [0, 0, 0, 1.5, 0, 0, 0, 1, 0, 0, 0, 0.7];

    static JsonElement Fixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "targets", "rotated-template.json")));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Matrix_Fisher_constant_matches_SciPy_integration_over_SO3()
    {
        foreach (var c in Fixture().GetProperty("fisher").EnumerateArray())
            // SciPy: tplquad over ZYZ Euler angles of exp(tr(FᵀR)) sin β/(8π²), epsrel 1e-10.
            MetricsFixture.Close(c.D("logc"), MatrixFisher.LogNormaliser(c.Doubles("f"), Span<double>.Empty), 1e-8, 1e-9, "log c(F)");
    }

    [Fact]
    public void Template_log_density_matches_SciPy_integration_over_SO3()
    {
        foreach (var c in Fixture().GetProperty("templates").EnumerateArray())
        {
            var template = new RotatedTemplateComponent(
                c.GetProperty("points").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(), c.D("jitter"));
            var s = new Smoothing(c.D("scale"), c.D("sigma"));
            MetricsFixture.Close(c.D("logp"), template.LogDensity(c.Doubles("x"), s, Span<double>.Empty), 1e-9, 1e-9, $"log p at {s}");
        }
    }

    [Fact]
    public void Every_ordering_of_Lees_integral_gives_the_same_constant()
    {
        foreach (double[] s in new[] { new[] { 1.0, 0.5, -0.3 }, new[] { 40.0, 25.0, 3.0 }, new[] { 2000.0, 1500.0, -900.0 }, new[] { 0.0, 0.0, 0.0 }, new[] { 5.0, 5.0, 5.0 } })
        {
            double l0 = MatrixFisher.LogNormaliserOfSingularValues(s[0], s[1], s[2], 0, out _);
            for (int k = 1; k < 3; k++)
            {
                double lk = MatrixFisher.LogNormaliserOfSingularValues(s[0], s[1], s[2], k, out _);
                Assert.True(Math.Abs(lk - l0) <= 1e-11 * Math.Max(1, Math.Abs(l0)), $"s = [{string.Join(", ", s)}]: ordering {k} gives {lk:R}, ordering 0 gives {l0:R}");
            }
        }
    }

    [Fact]
    public void Constant_and_mean_match_Monte_Carlo_over_Haar_rotations()
    {
        // c(F) = E_Haar[exp(tr(FᵀR))], E[R] = E_Haar[R exp(tr(FᵀR))]/c(F): 200 000 Haar draws, 5 standard errors.
        double[] f = [0.4, -1.1, 0.3, 0.9, 0.2, -0.5, 0.1, 0.7, 1.3];
        var mean = new double[9];
        double logC = MatrixFisher.LogNormaliser(f, mean);
        var rng = Root.Child("mc");
        const int n = 200_000;
        var r = new double[9];
        double sw = 0, sw2 = 0;
        var swr = new double[9];
        var swr2 = new double[9];
        for (int t = 0; t < n; t++)
        {
            HaarRotation.Sample(rng, r);
            double tr = 0;
            for (int k = 0; k < 9; k++) tr += f[k] * r[k];
            double w = Math.Exp(tr);
            sw += w;
            sw2 += w * w;
            for (int k = 0; k < 9; k++) { swr[k] += w * r[k]; swr2[k] += (w * r[k]) * (w * r[k]); }
        }
        double c = sw / n, se = Math.Sqrt((sw2 / n - c * c) / n);
        Assert.True(Math.Abs(Math.Exp(logC) - c) < 5 * se, $"c(F): quadrature {Math.Exp(logC)}, Monte Carlo {c} ± {se}");
        for (int k = 0; k < 9; k++)
        {
            double m = swr[k] / sw;
            // Delta method bound: the ratio's sd is at most ~ (sd of w·R + |m|·sd of w)/E[w].
            double seRatio = (Math.Sqrt(swr2[k] / n - (swr[k] / n) * (swr[k] / n)) + Math.Abs(m) * Math.Sqrt(sw2 / n - c * c)) / (c * Math.Sqrt(n));
            Assert.True(Math.Abs(mean[k] - m) < 5 * seRatio, $"E[R][{k}]: quadrature {mean[k]}, Monte Carlo {m} ± {seRatio}");
        }
    }

    [Fact]
    public void Mean_rotation_is_the_gradient_of_the_log_constant()
    {
        // ∂log c/∂F = E[R], from small F to a sharply concentrated one.
        var rng = Root.Child("grad");
        foreach (double scale in new[] { 0.3, 3.0, 30.0, 3000.0 })
        {
            var f = new double[9];
            rng.FillGaussian(f);
            for (int k = 0; k < 9; k++) f[k] *= scale;
            var mean = new double[9];
            MatrixFisher.LogNormaliser(f, mean);
            TargetAssert.ScoreMatchesFiniteDifference(g => MatrixFisher.LogNormaliser(g, Span<double>.Empty), f, mean, $"F scale {scale}");
            // A proper mean of rotations has singular values in [−1, 1] (inside the convex hull of SO(3)).
            foreach (double v in mean) Assert.True(Math.Abs(v) <= 1 + 1e-12);
        }
    }

    [Fact]
    public void Laplace_branch_for_concentrated_laws_continues_the_quadrature()
    {
        // Across the switch (every pairwise sum ≥ 1e8), log c must grow by ∫ ∂log c/∂s₃ ds₃: the lower end
        // is quadrature, the upper end Laplace's method; a wrong constant (8π², 2π) would be off by > 0.1.
        double lower = MatrixFisher.LogNormaliserOfSingularValues(6e7, 5e7, 4.95e7, 2, out double dLower);
        double upper = MatrixFisher.LogNormaliserOfSingularValues(6e7, 5e7, 5.05e7, 2, out double dUpper);
        double expected = 0.5 * (dLower + dUpper) * 1e6;
        Assert.True(Math.Abs(upper - lower - expected) < 1e-5, $"Δ log c = {upper - lower:R}, ∫ d₃ ds₃ = {expected:R}");
        Assert.True(Math.Abs(dUpper - dLower) < 1e-9, $"d₃: {dLower:R} below the switch, {dUpper:R} above");
        // A far cloud: finite score, posterior mean at the mode.
        var template = new RotatedTemplateComponent(Chiral, 0.3);
        var x = new double[12];
        for (int j = 0; j < 12; j++) x[j] = 1e12 * Chiral[j];
        var score = new double[12];
        template.LogDensity(x, Smoothing.None, score);
        Assert.All(score, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Score_stays_finite_and_exact_far_from_the_template()
    {
        // X = λ·M·Qᵀ far out: the posterior concentrates at Q, so s = (a·M·Qᵀ − X)/v up to O(1/λ);
        // at λ = 1e6 the part a·M·E[R]ᵀ/v is still resolved beside X/v; beyond, the score stays finite and ≈ −X/v.
        var template = new RotatedTemplateComponent(Chiral, 0.3);
        var m = template.Template.ToArray();
        var q = HaarRotation.Sample(Root.Child("far"));
        foreach (double lambda in new[] { 1e6, 1e100, 1e300 })
        {
            var x = new double[12];
            var mq = new double[12];
            for (int k = 0; k < 4; k++)
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 3; j++) mq[3 * k + i] += m[3 * k + j] * q[3 * i + j];
                    x[3 * k + i] = lambda * mq[3 * k + i];
                }
            var score = new double[12];
            template.LogDensity(x, Smoothing.None, score);
            for (int j = 0; j < 12; j++)
            {
                Assert.True(double.IsFinite(score[j]), $"λ = {lambda}: score[{j}] = {score[j]}");
                MetricsFixture.Close(-x[j] / 0.09, score[j], 1e-5, 0, $"λ = {lambda}, score[{j}] ≈ −X/v");
                if (lambda == 1e6)
                    MetricsFixture.Close(mq[j] / 0.09, score[j] + x[j] / 0.09, 1e-3, 1e-3, $"λ = 1e6, posterior mean part [{j}]");
            }
        }
    }

    [Fact]
    public void Score_matches_finite_difference_of_log_density()
    {
        var rng = Root.Child("fd");
        foreach (double jitter in new[] { 0.05, 0.3, 1.0 })
        {
            var template = new RotatedTemplateComponent(Chiral, jitter);
            foreach (var s in TargetAssert.Smoothings)
            {
                var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(template, n, r), 4, s, rng.Child($"{jitter} {s}"));
                for (int i = 0; i < x.Count; i++)
                    TargetAssert.ComponentScoreMatchesFiniteDifference(template, x.Row(i).ToArray(), s, $"jitter {jitter}, {s}, row {i}");
                // Off the data: the origin (F = 0) and a far, scaled copy.
                TargetAssert.ComponentScoreMatchesFiniteDifference(template, new double[12], s, $"jitter {jitter}, {s}, origin");
            }
        }
    }

    [Fact]
    public void Score_is_the_Tweedie_mean_over_Haar_rotations()
    {
        // ∇log p_σ(X) = (E[a·M·Rᵀ | X] − X)/v, the posterior mean by self-normalised importance over Haar draws.
        var template = new RotatedTemplateComponent(Chiral, 0.8);
        var s = Smoothing.Gaussian(0.5);
        double v = 0.64 + 0.25;
        var rng = Root.Child("tweedie");
        var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(template, n, r), 1, s, rng.Child("x")).Row(0).ToArray();
        var score = new double[12];
        template.LogDensity(x, s, score);
        var m = template.Template.ToArray();
        const int draws = 200_000;
        var r = new double[9];
        var num = new double[12];
        double den = 0;
        var logs = new double[draws];
        var mrs = new double[draws * 12];
        double maxLog = double.NegativeInfinity;
        for (int t = 0; t < draws; t++)
        {
            HaarRotation.Sample(rng, r);
            double q = 0;
            for (int k = 0; k < 4; k++)
                for (int i = 0; i < 3; i++)
                {
                    double mr = 0;
                    for (int j = 0; j < 3; j++) mr += m[3 * k + j] * r[3 * i + j];
                    mrs[t * 12 + 3 * k + i] = mr;
                    q += (x[3 * k + i] - mr) * (x[3 * k + i] - mr);
                }
            logs[t] = -q / (2 * v);
            maxLog = Math.Max(maxLog, logs[t]);
        }
        for (int t = 0; t < draws; t++)
        {
            double w = Math.Exp(logs[t] - maxLog);
            den += w;
            for (int j = 0; j < 12; j++) num[j] += w * mrs[t * 12 + j];
        }
        for (int j = 0; j < 12; j++)
        {
            double mc = (num[j] / den - x[j]) / v;
            Assert.True(Math.Abs(mc - score[j]) < 0.01 * (1 + Math.Abs(score[j])), $"score[{j}]: exact {score[j]}, Monte Carlo {mc}");
        }
    }

    [Fact]
    public void Samples_match_the_moments_and_the_marginal_CDF()
    {
        var template = new RotatedTemplateComponent(Chiral, 0.2);
        foreach (var s in new[] { Smoothing.None, new Smoothing(0.8, 0.6) })
        {
            var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(template, n, r), 20_000, s, Root.Child($"samples {s}"));
            TargetAssert.MomentsMatchSample(template.Mean(s), template.Covariance(s), x);
            for (int j = 0; j < 12; j += 4)
                TargetAssert.MarginalCdfMatchesSample(v => template.MarginalCdf(j, v, s), x.Column(j), $"coordinate {j} at {s}");
        }
    }

    [Fact]
    public void Small_sigma_recovers_p0_and_a_sharp_posterior_stays_finite()
    {
        var template = new RotatedTemplateComponent(Chiral, 0.01);
        var x = TargetAssert.SampleComponent(template, 1, Root.Child("sharp")).Row(0).ToArray();
        var s0 = new double[12];
        var s1 = new double[12];
        double l0 = template.LogDensity(x, Smoothing.None, s0);
        double l1 = template.LogDensity(x, Smoothing.Gaussian(1e-6), s1);
        Assert.True(double.IsFinite(l0) && Math.Abs(l1 - l0) < 1e-6 * Math.Abs(l0), $"log p: {l0} vs {l1}");
        for (int j = 0; j < 12; j++) Assert.True(Math.Abs(s1[j] - s0[j]) < 1e-5 * (1 + Math.Abs(s0[j])), $"score[{j}]: {s0[j]} vs {s1[j]}");
        // Jitter 0.01 makes F ≈ 1e4·XᵀM: the posterior is a near point mass, and the score is finite.
        Assert.All(s0, v => Assert.True(double.IsFinite(v)));
        TargetAssert.ComponentScoreMatchesFiniteDifference(template, x, Smoothing.None, "sharp posterior");
    }

    [Fact]
    public void The_template_is_centred_and_bad_input_is_refused()
    {
        var template = new RotatedTemplateComponent([1, 1, 1, 3, 1, 1], 0.1);
        Assert.Equal([-1.0, 0, 0, 1, 0, 0], template.Template);
        Assert.Throws<ArgumentException>(() => new RotatedTemplateComponent([1, 2], 0.1));
        Assert.Throws<ArgumentException>(() => new RotatedTemplateComponent(Chiral, 0));
        Assert.Throws<ArgumentException>(() => new RotatedTemplateComponent([double.NaN, 0, 0], 0.1));
    }

    [Fact]
    public void Centred_template_is_the_full_space_law_conditioned_on_zero_centre_of_mass()
    {
        // On the subspace the full-space density factors into the centred law times the centre of mass's density at 0:
        // the centre of mass c ~ N(0, (v/K)·I₃) is independent of the centred part, and √K·c is the orthonormal
        // coordinate, so log p_full(X) = log p_centred(X) − (3/2)·log(2πv) and ∇log p_centred(X) = P·∇log p_full(X).
        var full = new RotatedTemplateComponent(Chiral, 0.2);
        var centred = new RotatedTemplateComponent(Chiral, 0.2, centred: true);
        Assert.Equal(9, centred.DegreesOfFreedom);
        var rng = Root.Child("centred");
        var x = new double[12];
        var sFull = new double[12];
        var sCentred = new double[12];
        foreach (var s in new[] { new Smoothing(1, 0.3), new Smoothing(0.8, 0.5), new Smoothing(1, 0) })
            for (int t = 0; t < 20; t++)
            {
                centred.Sample(rng, x);
                for (int i = 0; i < 3; i++) Assert.True(Math.Abs(x[i] + x[3 + i] + x[6 + i] + x[9 + i]) < 1e-12, "a draw has zero centre of mass");
                double v = s.Scale * s.Scale * 0.04 + s.Sigma * s.Sigma;
                double lf = full.LogDensity(x, s, sFull), lc = centred.LogDensity(x, s, sCentred);
                MetricsFixture.Close(lf + 1.5 * Math.Log(2 * Math.PI * v), lc, 1e-12, 1e-12, $"log p_centred at {s}");
                CentredGaussianCloudComponent.RemoveCentreOfMass(sFull);
                for (int k = 0; k < 12; k++) MetricsFixture.Close(sFull[k], sCentred[k], 1e-12, 1e-12, $"score {k} at {s}");
            }
    }

    [Fact]
    public void Centred_template_projects_noise_and_moves_its_covariance_to_the_subspace()
    {
        var centred = new RotatedTemplateComponent(Chiral, 0.2, centred: true);
        var noise = new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        centred.ConstrainNoise(noise);
        for (int i = 0; i < 3; i++) Assert.True(Math.Abs(noise[i] + noise[3 + i] + noise[6 + i] + noise[9 + i]) < 1e-12);
        // Covariance against 200 000 draws (P·C·P of the full-space law, 5 standard errors of each entry).
        var s = new Smoothing(1, 0.3);
        var c = centred.Covariance(s);
        var law = new Mixture([1.0], [centred]);
        var x = law.Sample(200_000, s, Root.Child("centred-cov"));
        var empirical = law.Covariance(s);
        var sample = new double[144];
        for (int n = 0; n < x.Count; n++)
        {
            var row = x.Row(n);
            for (int a = 0; a < 12; a++)
                for (int b = 0; b < 12; b++) sample[12 * a + b] += row[a] * row[b] / x.Count;
        }
        for (int k = 0; k < 144; k++)
        {
            Assert.Equal(c[k], empirical[k], 12);
            Assert.True(Math.Abs(sample[k] - c[k]) < 5 * 0.45 * Math.Sqrt(2.0 / x.Count) + 1e-3, $"covariance entry {k}: sample {sample[k]:R}, exact {c[k]:R}");
        }
    }
}
