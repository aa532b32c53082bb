using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public class EmpiricalComponentTests
{
    static readonly RandomStream Root = new RandomStream(12345).Child("empirical");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Score_matches_finite_difference_of_log_density(int d)
    {
        var m = MixtureTests.GaussianMixture(d);
        var e = new EmpiricalComponent(m.Sample(50, Root.Child($"train-{d}")));
        foreach (var s in TargetAssert.Smoothings.Where(s => s.Sigma > 0))
        {
            var x = TargetAssert.SmoothedSample(m.Sample, 15, new Smoothing(s.Scale, s.Sigma + 0.5), Root.Child($"fd-{d}-{s}"));
            for (int i = 0; i < x.Count; i++)
                TargetAssert.ComponentScoreMatchesFiniteDifference(e, x.Row(i).ToArray(), s, $"d={d} {s} row {i}");
        }
    }

    [Fact]
    public void Log_density_is_the_mean_of_gaussian_kernels()
    {
        var e = new EmpiricalComponent(new Points([0.0, 1.0, 3.0], 1));
        var s = new Smoothing(0.8, 0.6);
        double x = 0.5;
        double expected = new[] { 0.0, 1.0, 3.0 }.Average(c => Math.Exp(-(x - 0.8 * c) * (x - 0.8 * c) / 0.72) / Math.Sqrt(2 * Math.PI * 0.36));
        Assert.Equal(Math.Log(expected), e.LogDensity([x], s, Span<double>.Empty), 13);
    }

    [Fact]
    public void Sigma_zero_has_no_density_and_says_so()
    {
        var e = new EmpiricalComponent(new Points([0.0, 1.0], 1));
        var ex = Assert.Throws<ArgumentException>(() => e.LogDensity([0.0], Smoothing.Gaussian(0), Span<double>.Empty));
        Assert.Contains("no density", ex.Message);
        // Moments and the step CDF remain defined at σ = 0.
        Assert.Equal(0.5, e.MarginalCdf(0, 0.5, Smoothing.None));
        Assert.Equal([0.25], e.Covariance(Smoothing.None));
    }

    [Fact]
    public void Tweedie_score_converges_to_the_analytic_smoothed_score_as_n_grows()
    {
        var m = MixtureTests.GaussianMixture(2);
        var s = Smoothing.Gaussian(1.0);
        var x = TargetAssert.SmoothedSample(m.Sample, 300, s, Root.Child("tweedie-eval"));
        Points exact = m.Score(x, s);
        var errors = new List<double>();
        foreach (int n in new[] { 100, 1000, 10_000 })
        {
            var e = new EmpiricalComponent(m.Sample(n, Root.Child($"tweedie-train-{n}")));
            var mixture = new Mixture([1.0], [e]);
            Points approx = mixture.Score(x, s);
            double se = 0, norm = 0;
            for (int i = 0; i < exact.Data.Length; i++)
            {
                se += (approx.Data[i] - exact.Data[i]) * (approx.Data[i] - exact.Data[i]);
                norm += exact.Data[i] * exact.Data[i];
            }
            errors.Add(Math.Sqrt(se / norm));
        }
        Assert.True(errors[0] > errors[1] && errors[1] > errors[2], $"relative RMS errors {string.Join(", ", errors)}");
        Assert.True(errors[2] < 0.05, $"relative RMS error at n = 10000 is {errors[2]}");
    }

    [Fact]
    public void Moments_and_marginal_cdfs_match_a_large_sample()
    {
        var m = MixtureTests.GaussianMixture(2);
        var e = new EmpiricalComponent(m.Sample(200, Root.Child("moments-train")));
        var s = new Smoothing(0.8, 0.6);
        var x = TargetAssert.SmoothedSample((n, r) => TargetAssert.SampleComponent(e, n, r), 40_000, s, Root.Child("moments"));
        TargetAssert.MomentsMatchSample(e.Mean(s), e.Covariance(s), x);
        for (int k = 0; k < 2; k++)
            TargetAssert.MarginalCdfMatchesSample(v => e.MarginalCdf(k, v, s), x.Column(k), $"coordinate {k}");
    }

    [Fact]
    public void Scores_are_finite_far_in_the_tails()
    {
        var e = new EmpiricalComponent(MixtureTests.GaussianMixture(3).Sample(100, Root.Child("tails")));
        foreach (var s in TargetAssert.Smoothings.Where(s => s.Sigma > 0))
        {
            var score = new double[3];
            Assert.True(double.IsFinite(e.LogDensity([1e3, -1e3, 1e3], s, score)));
            Assert.All(score, v => Assert.True(double.IsFinite(v)));
        }
    }
}

/// <summary>The empirical law on the zero-centre-of-mass subspace (clouds, <see cref="EmpiricalComponent(Points, bool)"/>).</summary>
public class CentredEmpiricalComponentTests
{
    [Fact]
    public void Two_point_clouds_have_the_three_dimensional_kernel_density_of_their_relative_coordinate()
    {
        // K = 2: the subspace is spanned by r = (x₁ − x₂)/√2 (an isometry from it onto R³), and projected noise σ·P·ε
        // is σ·N(0, I₃) in r, so p̂_{a,σ}(x) = (1/n) Σᵢ N₃(r(x); a·r(xᵢ), σ²I) with respect to Lebesgue measure on the subspace.
        double[][] clouds = [[0, 0, 0, 1, 2, 3], [5, 5, 5, 4, 6, 5], [-1, 0, 2, 1, 1, 1]];
        var e = new EmpiricalComponent(new Points(clouds.SelectMany(c => c).ToArray(), 6), zeroCentreOfMass: true);
        Assert.Equal(3, e.DegreesOfFreedom);
        static double[] R(double[] x) => [(x[0] - x[3]) / Math.Sqrt(2), (x[1] - x[4]) / Math.Sqrt(2), (x[2] - x[5]) / Math.Sqrt(2)];
        var s = new Smoothing(0.8, 0.7);
        double[] point = [0.3, -0.2, 0.5, 1.1, 0.4, -0.6];
        double expected = clouds.Average(c =>
        {
            double[] r = R(point), ri = R(c);
            double q = Enumerable.Range(0, 3).Sum(j => (r[j] - 0.8 * ri[j]) * (r[j] - 0.8 * ri[j]));
            return Math.Exp(-q / (2 * 0.49)) / Math.Pow(2 * Math.PI * 0.49, 1.5);
        });
        var score = new double[6];
        Assert.Equal(Math.Log(expected), e.LogDensity(point, s, score), 12);
        // The score has no centre-of-mass component, and a shift of the whole cloud changes neither value.
        for (int axis = 0; axis < 3; axis++) Assert.Equal(0.0, score[axis] + score[3 + axis], 12);
        double[] shifted = point.Select((v, i) => v + (i % 3 == 1 ? 7.0 : 0.0)).ToArray();
        var shiftedScore = new double[6];
        Assert.Equal(e.LogDensity(point, s, Span<double>.Empty), e.LogDensity(shifted, s, shiftedScore), 12);
        for (int i = 0; i < 6; i++) Assert.Equal(score[i], shiftedScore[i], 12);
        // Tweedie: σ²·score = E[a·x₀ | x] − P·x, where the posterior mean is of the centred clouds.
        Assert.True(e.Points.Data.Chunk(6).All(c => Math.Abs(c[0] + c[3]) < 1e-12 && Math.Abs(c[1] + c[4]) < 1e-12 && Math.Abs(c[2] + c[5]) < 1e-12));
    }

    [Fact]
    public void Its_marginals_and_covariance_carry_the_projected_noise()
    {
        var e = new EmpiricalComponent(new Points([0, 0, 0, 2, 0, 0], 6), zeroCentreOfMass: true);
        var s = Smoothing.Gaussian(0.5);
        // One centred cloud: x₁ = −1 + σ·(P·ε)₁, whose variance is σ²(1 − 1/K) = 0.125.
        Assert.Equal(0.5, e.MarginalCdf(0, -1, s), 12);
        Assert.Equal(MathNet.Numerics.Distributions.Normal.CDF(-1, Math.Sqrt(0.125), 0.0), e.MarginalCdf(0, 0.0, s), 12);
        var c = e.Covariance(s);
        Assert.Equal(0.125, c[0], 12);
        Assert.Equal(-0.125, c[3 * 6 + 0], 12);
        Assert.Equal(0.0, c[1], 12);
    }
}
