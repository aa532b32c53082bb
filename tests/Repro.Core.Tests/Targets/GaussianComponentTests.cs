using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public class GaussianComponentTests
{
    static readonly RandomStream Root = new RandomStream(12345).Child("gaussian-component");

    /// <summary>Full non-diagonal SPD covariances in d = 1, 2, 3.</summary>
    public static GaussianComponent Make(int d) => d switch
    {
        1 => new GaussianComponent([0.7], [2.25]),
        2 => new GaussianComponent([-1.0, 2.0], [1.5, 0.6, 0.6, 0.8]),
        3 => new GaussianComponent([0.5, -0.3, 1.2], [2.0, 0.5, -0.3, 0.5, 1.0, 0.2, -0.3, 0.2, 0.7]),
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Score_matches_finite_difference_of_log_density(int d)
    {
        var g = Make(d);
        var rng = Root.Child($"fd-{d}");
        foreach (var s in TargetAssert.Smoothings)
            for (int i = 0; i < 20; i++)
            {
                var x = new double[d];
                for (int j = 0; j < d; j++) x[j] = 3 * rng.NextGaussian();
                TargetAssert.ComponentScoreMatchesFiniteDifference(g, x, s, $"d={d} {s}");
            }
    }

    [Fact]
    public void Log_density_equals_the_textbook_bivariate_normal()
    {
        var g = Make(2);
        var s = new Smoothing(0.8, 0.6);
        // Σ_s = a²Σ + σ²I written out by hand, density from the 2×2 inverse formula.
        double s11 = 0.64 * 1.5 + 0.36, s22 = 0.64 * 0.8 + 0.36, s12 = 0.64 * 0.6;
        double det = s11 * s22 - s12 * s12;
        double[] x = [0.3, -0.4];
        double dx = x[0] - 0.8 * -1.0, dy = x[1] - 0.8 * 2.0;
        double q = (s22 * dx * dx - 2 * s12 * dx * dy + s11 * dy * dy) / det;
        double expected = -0.5 * q - 0.5 * Math.Log(det) - Math.Log(2 * Math.PI);
        var score = new double[2];
        Assert.Equal(expected, g.LogDensity(x, s, score), 12);
        Assert.Equal(-(s22 * dx - s12 * dy) / det, score[0], 12);
        Assert.Equal(-(-s12 * dx + s11 * dy) / det, score[1], 12);
    }

    [Fact]
    public void Small_sigma_recovers_p0()
    {
        var g = Make(3);
        double[] x = [0.1, 0.2, 0.9];
        var s0 = new double[3];
        var s1 = new double[3];
        double l0 = g.LogDensity(x, Smoothing.Gaussian(0), s0);
        double l1 = g.LogDensity(x, Smoothing.Gaussian(1e-7), s1);
        Assert.Equal(l0, l1, 9);
        for (int j = 0; j < 3; j++) Assert.Equal(s0[j], s1[j], 6);
        Assert.Equal(l0, g.LogDensity(x, Smoothing.None, Span<double>.Empty));
    }

    [Fact]
    public void Scores_are_finite_far_in_the_tails()
    {
        var g = Make(3);
        foreach (var s in TargetAssert.Smoothings)
            foreach (double r in new[] { 1e3, -1e3 })
            {
                var score = new double[3];
                double lp = g.LogDensity([r, -r, r], s, score);
                Assert.True(double.IsFinite(lp));
                Assert.All(score, v => Assert.True(double.IsFinite(v)));
            }
    }

    [Fact]
    public void Monte_Carlo_convolution_of_p0_with_gaussian_noise_matches_p_sigma()
    {
        var g = Make(2);
        var rng = Root.Child("mc-convolution");
        double sigma = 0.7;
        int n = 200_000;
        var eps = rng.Child("eps");
        double[][] at = [[-1.0, 2.0], [0.5, 2.5], [-2.5, 1.0]];
        foreach (var x in at)
        {
            // p_σ(x) = E_{x₀~p₀} N(x; x₀, σ²I).
            double sum = 0, sum2 = 0;
            var x0 = new double[2];
            var draws = rng.Child($"x0-{x[0]}-{x[1]}");
            for (int i = 0; i < n; i++)
            {
                g.Sample(draws, x0);
                double q = ((x[0] - x0[0]) * (x[0] - x0[0]) + (x[1] - x0[1]) * (x[1] - x0[1])) / (sigma * sigma);
                double v = Math.Exp(-0.5 * q) / (2 * Math.PI * sigma * sigma);
                sum += v;
                sum2 += v * v;
            }
            double mean = sum / n, se = Math.Sqrt((sum2 / n - mean * mean) / n);
            double exact = Math.Exp(g.LogDensity(x, Smoothing.Gaussian(sigma), Span<double>.Empty));
            Assert.True(Math.Abs(mean - exact) < 4 * se, $"MC {mean} ± {se}, exact {exact}");
        }
    }

    [Fact]
    public void Moments_and_marginal_cdfs_match_a_large_sample()
    {
        var g = Make(3);
        var s = new Smoothing(0.8, 0.6);
        var sample = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(g, n, r), 50_000, s, Root.Child("moments"));
        TargetAssert.MomentsMatchSample(g.Mean(s), g.Covariance(s), sample);
        for (int k = 0; k < 3; k++)
            TargetAssert.MarginalCdfMatchesSample(v => g.MarginalCdf(k, v, s), sample.Column(k), $"coordinate {k}");
    }

    [Fact]
    public void Non_positive_definite_covariance_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new GaussianComponent([0.0, 0.0], [1.0, 2.0, 2.0, 1.0]));
        Assert.Throws<ArgumentException>(() => new GaussianComponent([0.0, 0.0], [1.0, 0.5, 0.4, 1.0]));
        Assert.Throws<ArgumentException>(() => new GaussianComponent([0.0], [1.0, 0.0]));
    }
}
