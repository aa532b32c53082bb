using MathNet.Numerics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public class NoisySegmentComponentTests
{
    static readonly RandomStream Root = new RandomStream(12345).Child("noisy-segment");

    /// <summary>x ~ U[0, 10], y = 0.4x − 5 + N(0, 0.2²): the segment of the reference 2D experiment.</summary>
    public static NoisySegmentComponent Reference() => new(0, 10, 0.4, -5, 0.2);

    static readonly NoisySegmentComponent[] Segments = [Reference(), new(-1, 2, -1.5, 0.5, 0.3), new(-2, 1, 0, 1, 0.5)];

    [Fact]
    public void Score_matches_finite_difference_of_log_density()
    {
        var rng = Root.Child("fd");
        foreach (var seg in Segments)
            foreach (var s in TargetAssert.Smoothings)
            {
                // p₀ has support only on the segment's x range; keep p₀ points strictly inside it.
                double spread = s.Sigma == 0 ? 0 : 1 + s.Sigma;
                var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(seg, n, r), 15, new Smoothing(s.Scale, spread), rng.Child($"{s}"));
                if (s.Sigma == 0)
                    for (int i = 0; i < x.Count; i++) x[i][1] += rng.NextGaussian();
                for (int i = 0; i < x.Count; i++)
                    TargetAssert.ComponentScoreMatchesFiniteDifference(seg, x.Row(i).ToArray(), s, $"{s} row {i}");
            }
    }

    [Fact]
    public void Score_matches_finite_difference_beyond_the_ends_with_small_sigma()
    {
        var seg = Reference();
        foreach (double sigma in new[] { 0.05, 0.2 })
            foreach (double[] x in new[] { new[] { 11.0, -1.0 }, new[] { -0.7, -5.3 }, new[] { 13.0, 3.0 }, new[] { -3.0, -6.0 } })
                TargetAssert.ComponentScoreMatchesFiniteDifference(seg, x, Smoothing.Gaussian(sigma), $"σ={sigma}");
    }

    [Fact]
    public void Points_outside_the_x_range_are_outside_the_support_of_p0()
    {
        var seg = Reference();
        var score = new double[] { 1, 1 };
        Assert.Equal(double.NegativeInfinity, seg.LogDensity([10.001, -1], Smoothing.None, score));
        Assert.Equal([0.0, 0.0], score);
        Assert.Equal(double.NegativeInfinity, seg.LogDensity([-0.001, -5], Smoothing.Gaussian(0), score));
        Assert.True(double.IsFinite(seg.LogDensity([10.0, -1], Smoothing.None, score)));
        // Under scale a the support is a·[from, to].
        Assert.True(double.IsFinite(seg.LogDensity([7.9, -3], new Smoothing(0.8, 0), score)));
        Assert.Equal(double.NegativeInfinity, seg.LogDensity([8.1, -3], new Smoothing(0.8, 0), score));
    }

    [Fact]
    public void Small_sigma_recovers_p0_at_an_interior_point()
    {
        var seg = Reference();
        double[] x = [4.0, -3.5];
        var s0 = new double[2];
        var s1 = new double[2];
        double l0 = seg.LogDensity(x, Smoothing.None, s0);
        // p₀ = (1/L)·N(y; kx + c, s²).
        double r = -3.5 - (0.4 * 4 - 5);
        Assert.Equal(-Math.Log(10) - 0.5 * Math.Log(2 * Math.PI * 0.04) - r * r / 0.08, l0, 12);
        double l1 = seg.LogDensity(x, Smoothing.Gaussian(1e-6), s1);
        Assert.Equal(l0, l1, 8);
        Assert.Equal(s0[0], s1[0], 6);
        Assert.Equal(s0[1], s1[1], 6);
    }

    /// <summary>20-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on P₂₀).</summary>
    static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), pp;
            while (true)
            {
                double p1 = 1, p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
                }
                pp = n * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.Abs(z - z1) < 1e-15) break;
            }
            nodes[i] = z;
            weights[i] = 2 / ((1 - z * z) * pp * pp);
        }
        return (nodes, weights);
    }

    /// <summary>
    /// log of (1/L)∫ N(x; a u, σ²) N(y; a(k u + c), τ²) du over [from, to] by composite 20-point
    /// Gauss–Legendre on 400 uniform panels refined geometrically towards both ends, summed in log space.
    /// </summary>
    static double QuadratureLogDensity(double from, double to, double k, double c, double noise, double[] x, Smoothing s)
    {
        double a = s.Scale, sigma = s.Sigma, tau2 = a * a * noise * noise + sigma * sigma, length = to - from;
        double LogIntegrand(double u) =>
            -(x[0] - a * u) * (x[0] - a * u) / (2 * sigma * sigma) - 0.5 * Math.Log(2 * Math.PI * sigma * sigma)
            - (x[1] - a * (k * u + c)) * (x[1] - a * (k * u + c)) / (2 * tau2) - 0.5 * Math.Log(2 * Math.PI * tau2);
        var breaks = new SortedSet<double>();
        for (int i = 0; i <= 400; i++) breaks.Add(from + length * i / 400);
        for (int j = 1; j <= 45; j++) { breaks.Add(from + length * Math.Pow(2, -j) / 400); breaks.Add(to - length * Math.Pow(2, -j) / 400); }
        var b = breaks.ToArray();
        var (nodes, weights) = GaussLegendre(20);
        var logs = new List<double>();
        for (int p = 0; p + 1 < b.Length; p++)
        {
            double half = 0.5 * (b[p + 1] - b[p]), mid = 0.5 * (b[p + 1] + b[p]);
            for (int q = 0; q < nodes.Length; q++) logs.Add(Math.Log(weights[q] * half) + LogIntegrand(mid + half * nodes[q]));
        }
        double max = logs.Max();
        return max + Math.Log(logs.Sum(l => Math.Exp(l - max))) - Math.Log(length);
    }

    [Fact]
    public void Closed_form_density_matches_quadrature_at_moderate_points()
    {
        var rng = Root.Child("quadrature");
        foreach (var s in new[] { Smoothing.Gaussian(0.05), Smoothing.Gaussian(0.7), new Smoothing(0.8, 0.6) })
            for (int i = 0; i < 10; i++)
            {
                double[] x = [s.Scale * rng.NextUniform(-1, 11), s.Scale * rng.NextUniform(-6, -0.5)];
                double exact = QuadratureLogDensity(0, 10, 0.4, -5, 0.2, x, s);
                double closed = Reference().LogDensity(x, s, Span<double>.Empty);
                // exp(Δlog) − 1 is the relative error in the density.
                Assert.True(Math.Abs(Math.Exp(closed - exact) - 1) < 1e-10, $"{s} at [{x[0]}, {x[1]}]: closed {closed:R}, quadrature {exact:R}");
            }
    }

    [Theory]
    [InlineData(12.0, -1.0, 0.05)]
    [InlineData(10.9, -1.0, 0.03)]
    [InlineData(-0.6, -5.0, 0.05)]
    [InlineData(-2.0, -8.0, 0.1)]
    public void Closed_form_matches_quadrature_in_log_space_beyond_the_ends_where_the_naive_erf_difference_fails(double x0, double x1, double sigma)
    {
        var s = Smoothing.Gaussian(sigma);
        double[] x = [x0, x1];
        double exact = QuadratureLogDensity(0, 10, 0.4, -5, 0.2, x, s);
        double closed = Reference().LogDensity(x, s, Span<double>.Empty);
        Assert.True(Math.Abs(closed - exact) < 1e-10 * Math.Abs(exact), $"closed {closed:R}, quadrature {exact:R}");

        // The same closed form with log(½(erf(β/√2) − erf(α/√2))) for the mass on the segment.
        double tau2 = 0.04 + sigma * sigma, v = tau2 + 0.16 * sigma * sigma, yPrime = x1 + 5, r = yPrime - 0.4 * x0;
        double w = x0 * tau2 + 0.4 * yPrime * sigma * sigma, denom = sigma * Math.Sqrt(tau2 * v);
        double alpha = (0 - w) / denom, beta = (v * 10 - w) / denom;
        double naiveMass = 0.5 * (SpecialFunctions.Erf(beta / Math.Sqrt(2)) - SpecialFunctions.Erf(alpha / Math.Sqrt(2)));
        double naive = -Math.Log(10) - 0.5 * Math.Log(2 * Math.PI * v) - r * r / (2 * v) + Math.Log(naiveMass);
        Assert.False(Math.Abs(naive - exact) < 1e-3, $"naive {naive:R} unexpectedly close to {exact:R}");
    }

    [Fact]
    public void Monte_Carlo_convolution_of_p0_with_gaussian_noise_matches_p_sigma()
    {
        var seg = Reference();
        var rng = Root.Child("mc-convolution");
        double sigma = 0.5;
        int n = 200_000;
        var x0 = TargetAssert.SampleComponent(seg, n, rng.Child("x0"));
        foreach (double[] x in new[] { new[] { 5.0, -3.0 }, new[] { 10.2, -1.0 }, new[] { -0.3, -4.6 } })
        {
            double sum = 0, sum2 = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = x[0] - x0[i][0], dy = x[1] - x0[i][1];
                double v = Math.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
                sum += v;
                sum2 += v * v;
            }
            double mean = sum / n, se = Math.Sqrt((sum2 / n - mean * mean) / n);
            double exact = Math.Exp(seg.LogDensity(x, Smoothing.Gaussian(sigma), Span<double>.Empty));
            Assert.True(Math.Abs(mean - exact) < 4 * se, $"at [{x[0]}, {x[1]}]: MC {mean} ± {se}, exact {exact}");
        }
    }

    [Fact]
    public void Scores_are_finite_far_in_the_tails()
    {
        foreach (var seg in Segments)
            foreach (var s in TargetAssert.Smoothings.Where(s => s.Sigma > 0))
                foreach (double[] x in new[] { new[] { 1e3, 1e3 }, new[] { -1e3, 1e3 }, new[] { 1e3, -1e3 }, new[] { -1e3, -1e3 }, new[] { 5.0, 1e3 } })
                {
                    var score = new double[2];
                    Assert.True(double.IsFinite(seg.LogDensity(x, s, score)), $"{s} at [{x[0]}, {x[1]}]");
                    Assert.All(score, v => Assert.True(double.IsFinite(v)));
                }
    }

    [Fact]
    public void Moments_and_marginal_cdfs_match_a_large_sample()
    {
        foreach (var seg in Segments)
            foreach (var s in new[] { Smoothing.None, Smoothing.Gaussian(0.6), new Smoothing(0.8, 0.6) })
            {
                var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(seg, n, r), 40_000, s, Root.Child($"moments-{s}"));
                TargetAssert.MomentsMatchSample(seg.Mean(s), seg.Covariance(s), x);
                for (int k = 0; k < 2; k++)
                    TargetAssert.MarginalCdfMatchesSample(v => seg.MarginalCdf(k, v, s), x.Column(k), $"{s} coordinate {k}");
            }
    }

    [Fact]
    public void Stein_identity_holds_for_the_smoothed_segment_mixture()
    {
        var m = new Mixture([0.5, 0.5], [new GaussianComponent([-5.0, 0.0], [1, 0, 0, 1]), Reference()]);
        var s = Smoothing.Gaussian(1.2);
        var x = TargetAssert.SmoothedSample(m.Sample, 100_000, s, Root.Child("stein"));
        TargetAssert.SteinIdentityHolds(x, m.Score(x, s));
    }

    [Fact]
    public void Segment_mixture_score_matches_finite_difference()
    {
        var m = new Mixture([0.5, 0.5], [new GaussianComponent([-5.0, 0.0], [1, 0, 0, 1]), Reference()]);
        foreach (var s in TargetAssert.Smoothings.Where(s => s.Sigma > 0))
        {
            var x = TargetAssert.SmoothedSample(m.Sample, 15, new Smoothing(s.Scale, s.Sigma + 1), Root.Child($"mix-fd-{s}"));
            TargetAssert.MixtureScoreMatchesFiniteDifference(m, x, s, "segment mixture");
        }
    }
}
