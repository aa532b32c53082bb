using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public class MixtureTests
{
    static readonly RandomStream Root = new RandomStream(12345).Child("mixture");

    /// <summary>Gaussian mixtures in d = 1, 2, 3 with unequal weights and correlated components.</summary>
    public static Mixture GaussianMixture(int d) => d switch
    {
        1 => new Mixture([0.5, 0.5], [new GaussianComponent([-2.0], [1.0]), new GaussianComponent([2.0], [1.0])]),
        2 => new Mixture([0.3, 0.7], [GaussianComponentTests.Make(2), new GaussianComponent([3.0, 0.0], [1.0, -0.3, -0.3, 0.5])]),
        3 => new Mixture([0.2, 0.5, 0.3],
            [GaussianComponentTests.Make(3), new GaussianComponent([-2.0, 1.0, 0.0], [1, 0, 0, 0, 1, 0, 0, 0, 1]),
             new GaussianComponent([2.0, 2.0, -2.0], [0.5, 0.1, 0, 0.1, 0.5, 0.1, 0, 0.1, 0.5])]),
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Score_matches_finite_difference_of_log_density(int d)
    {
        var m = GaussianMixture(d);
        foreach (var s in TargetAssert.Smoothings)
        {
            var x = TargetAssert.SmoothedSample(m.Sample, 15, new Smoothing(s.Scale, s.Sigma + 1.0), Root.Child($"fd-{d}-{s}"));
            TargetAssert.MixtureScoreMatchesFiniteDifference(m, x, s, $"d={d}");
        }
    }

    [Fact]
    public void Log_density_is_the_weighted_sum_of_component_densities()
    {
        var m = GaussianMixture(2);
        var s = Smoothing.Gaussian(0.4);
        double[] x = [0.5, 0.5];
        double expected = 0.3 * Math.Exp(m.Components[0].LogDensity(x, s, Span<double>.Empty))
                        + 0.7 * Math.Exp(m.Components[1].LogDensity(x, s, Span<double>.Empty));
        Assert.Equal(Math.Log(expected), m.LogDensity(new Points(x, 2), s)[0], 12);
    }

    [Fact]
    public void Responsibilities_are_posterior_probabilities_summing_to_one()
    {
        var m = GaussianMixture(3);
        var s = new Smoothing(0.8, 0.6);
        var x = m.Sample(1000, Root.Child("resp"));
        Points r = m.Responsibilities(x, s);
        Assert.Equal(3, r.Dimension);
        Assert.Equal(x.Count, r.Count);
        double[] lp = m.LogDensity(x, s);
        for (int i = 0; i < x.Count; i++)
        {
            Assert.Equal(1.0, r[i][0] + r[i][1] + r[i][2], 12);
            double l1 = m.Components[1].LogDensity(x.Row(i), s, Span<double>.Empty);
            Assert.Equal(Math.Exp(Math.Log(0.5) + l1 - lp[i]), r[i][1], 12);
        }
    }

    [Fact]
    public void Stein_identity_holds_for_a_gaussian_mixture()
    {
        // E_p[∇log p(x)·x + d] = 0 (integration by parts).
        var m = GaussianMixture(3);
        var x = m.Sample(100_000, Root.Child("stein"));
        Points score = m.Score(x, Smoothing.None);
        TargetAssert.SteinIdentityHolds(x, score);
    }

    [Fact]
    public void Moments_and_marginal_cdfs_match_a_large_sample()
    {
        var m = GaussianMixture(2);
        var s = new Smoothing(0.8, 0.6);
        var x = TargetAssert.SmoothedSample(m.Sample, 50_000, s, Root.Child("moments"));
        TargetAssert.MomentsMatchSample(m.Mean(s), m.Covariance(s), x);
        for (int k = 0; k < 2; k++)
            TargetAssert.MarginalCdfMatchesSample(v => m.MarginalCdf(k, v, s), x.Column(k), $"coordinate {k}");
    }

    [Fact]
    public void Sampling_is_deterministic_given_the_stream_and_follows_the_weights()
    {
        var m = GaussianMixture(1);
        var a = m.Sample(20_000, Root.Child("det"));
        var b = m.Sample(20_000, Root.Child("det"));
        Assert.Equal(a.Data, b.Data);
        double positive = a.Data.Count(v => v > 0) / (double)a.Count;
        Assert.InRange(positive, 0.49, 0.51);
    }

    [Fact]
    public void Batch_results_equal_row_by_row_results()
    {
        // Parallel chunks must not change a single bit.
        var m = GaussianMixture(2);
        var s = Smoothing.Gaussian(0.3);
        var x = m.Sample(1000, Root.Child("batch"));
        Points score = m.Score(x, s);
        double[] lp = m.LogDensity(x, s);
        for (int i = 0; i < x.Count; i += 37)
        {
            var one = x.Slice(i, 1);
            Assert.Equal(lp[i], m.LogDensity(one, s)[0]);
            Assert.Equal(score.Row(i).ToArray(), m.Score(one, s).Data);
        }
    }

    [Fact]
    public void Zero_weight_components_are_ignored_and_sigma_zero_is_p0()
    {
        var m = new Mixture([1.0, 0.0], [new GaussianComponent([0.0], [1.0]), new GaussianComponent([5.0], [1.0])]);
        var x = new Points([0.3], 1);
        Assert.Equal(-0.5 * 0.09 - StandardNormal.HalfLogTwoPi, m.LogDensity(x, Smoothing.Gaussian(0))[0], 14);
        Assert.Equal(-0.3, m.Score(x, Smoothing.Gaussian(0)).Data[0], 14);
        Assert.Equal([1.0, 0.0], m.Responsibilities(x, Smoothing.None).Data);
    }

    [Fact]
    public void Invalid_mixtures_are_rejected()
    {
        var g1 = new GaussianComponent([0.0], [1.0]);
        var g2 = new GaussianComponent([0.0, 0.0], [1.0, 0.0, 0.0, 1.0]);
        Assert.Throws<ArgumentException>(() => new Mixture([], []));
        Assert.Throws<ArgumentException>(() => new Mixture([0.5, 0.5], [g1, g2]));
        Assert.Throws<ArgumentException>(() => new Mixture([0.5, 0.6], [g1, g1]));
        Assert.Throws<ArgumentException>(() => new Mixture([1.5, -0.5], [g1, g1]));
        Assert.Throws<ArgumentException>(() => new Mixture([1.0], [g1, g1]));
        Assert.Throws<ArgumentException>(() => GaussianMixture(1).LogDensity(Points.Zeros(1, 2), Smoothing.None));
    }

    [Fact]
    public void Scores_are_finite_far_in_the_tails()
    {
        var m = GaussianMixture(3);
        var x = new Points([1e3, -1e3, 1e3, -1e3, -1e3, -1e3, 0, 1e3, 0], 3);
        foreach (var s in TargetAssert.Smoothings)
        {
            Assert.All(m.Score(x, s).Data, v => Assert.True(double.IsFinite(v)));
            Assert.All(m.LogDensity(x, s), v => Assert.True(double.IsFinite(v)));
        }
    }
}
