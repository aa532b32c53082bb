using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using static Repro.Core.Tests.Metrics.MetricsFixture;

namespace Repro.Core.Tests.Metrics;

public class ModeWeightsTests
{
    [Fact]
    public void Wald_statistic_and_p_value_match_numpy_and_scipy()
    {
        foreach (var c in Cases("mode_weights.json"))
        {
            int k = c.I("k");
            var res = ModeWeights.Test(c.Points("r", k), c.Doubles("weights"));
            var mean = c.Doubles("mean");
            for (int j = 0; j < k; j++) Close(mean[j], res.Modes[j].MeanResponsibility, 1e-12, 1e-15, $"mean responsibility {j}");
            Close(c.D("statistic"), res.Statistic, 1e-9, 1e-12, $"Wald statistic (K = {k}, n = {c.I("n")})");
            Close(c.D("pvalue"), res.PValue, 1e-8, 1e-300, $"chi2.sf (K = {k}, n = {c.I("n")})");
            Assert.Equal(k - 1, res.DegreesOfFreedom);
        }
    }

    [Fact]
    public void SharesAndWilsonIntervals()
    {
        // 3 points to component 1, 1 to component 0 (row 3 ties → first index).
        var r = new Points([0.1, 0.9, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6], 2);
        var res = ModeWeights.Test(r, [0.5, 0.5]);
        Assert.Equal([1, 3], res.Modes.Select(m => m.Count));
        Assert.Equal(ModeWeights.TestName, res.Test);
        // r̄₀ = 0.35, s² = 0.07, T = 4 · 0.15² / 0.07; SciPy: stats.chi2.sf(0.9/0.7, 1)
        Close(0.35, res.Modes[0].MeanResponsibility, 1e-14, 0, "mean responsibility");
        Close(0.9 / 0.7, res.Statistic, 1e-12, 0, "Wald T");
        Close(0.2568392579578533, res.PValue, 1e-10, 0, "chi2.sf(9/7, 1)");
        var (lo, hi) = ModeWeights.Wilson(1, 4);
        // scipy.stats.binomtest(k, n).proportion_ci(method='wilson') with SciPy 1.10.1
        Close(0.04558726080970055, lo, 1e-12, 0, "wilson lo");
        Close(0.6993581574175981, hi, 1e-12, 0, "wilson hi");
        Assert.Equal(0.0, ModeWeights.Wilson(0, 4).Lower);
        Close(0.4898908364545973, ModeWeights.Wilson(0, 4).Upper, 1e-12, 0, "wilson(0,4) hi");
        Close(0.23272736988916295, ModeWeights.Wilson(37, 120).Lower, 1e-12, 0, "wilson(37,120) lo");
        Close(0.3958299772380067, ModeWeights.Wilson(37, 120).Upper, 1e-12, 0, "wilson(37,120) hi");
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        Assert.Throws<ArgumentException>(() => ModeWeights.Test(Points.Zeros(0, 2), [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => ModeWeights.Test(Points.Zeros(3, 2), [0.6, 0.6]));
        Assert.Throws<ArgumentException>(() => ModeWeights.Test(Points.Zeros(3, 3), [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => ModeWeights.Test(new Points([double.NaN, 1], 2), [0.5, 0.5]));
    }

    static Mixture Gaussians(double[] weights, params double[][] means) =>
        new(weights, means.Select(m => (IComponent)new GaussianComponent(m, [1, 0, 0, 1])).ToArray());

    // Overlapping mixtures: means 2 apart at unit variance. Under the first, an exact draw's most responsible
    // component is component 1 with probability 0.7306, not 0.7 (the issue's counter-example).
    static readonly Mixture Two = Gaussians([0.7, 0.3], [-1, 0], [1, 0]);
    static readonly Mixture Three = Gaussians([0.5, 0.3, 0.2], [-1, 0], [1, 0], [0, 1.5]);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Null_p_values_are_uniform_on_an_overlapping_mixture(int components)
    {
        var target = components == 2 ? Two : Three;
        var root = new RandomStream(1201).Child(components);
        var p = new List<double>();
        for (int rep = 0; rep < 400; rep++)
        {
            var x = target.Sample(1000, root.Child(rep));
            p.Add(ModeWeights.Test(target.Responsibilities(x, Smoothing.None), target.Weights).PValue);
        }
        // Seeded, so deterministic: our one-sample KS of the 400 p-values against U(0, 1) must not reject at 1e-3.
        LooksUniform(p, $"{components} overlapping components");
        Assert.InRange(p.Count(v => v < 0.05), 8, 36); // Binomial(400, 0.05): mean 20, ±3.7 sd
    }

    [Fact]
    public void Arg_max_shares_of_exact_samples_miss_the_weights_under_overlap()
    {
        // Why the test is on the mean responsibility: the arg-max share of exact draws is 0.7306, not 0.7
        // (P(X₁ < ½ ln(7/3)) under the mixture, SciPy: 0.7·Φ(1.4236) + 0.3·Φ(−0.5764)), while the mean responsibility is 0.7.
        var x = Two.Sample(20000, new RandomStream(1202));
        var res = ModeWeights.Test(Two.Responsibilities(x, Smoothing.None), Two.Weights);
        Assert.InRange(res.Modes[0].Share, 0.7306 - 0.0125, 0.7306 + 0.0125);
        Assert.InRange(res.Modes[0].MeanResponsibility, 0.7 - 0.01, 0.7 + 0.01);
        Assert.True(res.PValue > 1e-3, $"exact samples pass: p = {res.PValue}");
    }

    [Fact]
    public void Wrong_weights_are_detected_under_overlap_and_separation()
    {
        var wrong = Gaussians([0.6, 0.4], [-1, 0], [1, 0]);
        var x = wrong.Sample(2000, new RandomStream(1203));
        Assert.True(ModeWeights.Test(Two.Responsibilities(x, Smoothing.None), Two.Weights).PValue < 1e-4);
        var wrong3 = Gaussians([0.35, 0.35, 0.3], [-1, 0], [1, 0], [0, 1.5]);
        var y = wrong3.Sample(2000, new RandomStream(1204));
        Assert.True(ModeWeights.Test(Three.Responsibilities(y, Smoothing.None), Three.Weights).PValue < 1e-4);
        // Every point in one of two far-apart modes: the responsibilities never vary, r̄ = (1, 0) ≠ w: certain evidence.
        var stuck = Points.Zeros(100, 2);
        for (int i = 0; i < 100; i++) stuck[i][0] = 1;
        var res = ModeWeights.Test(stuck, [0.8, 0.2]);
        Assert.Equal(0.0, res.PValue);
        Assert.True(double.IsPositiveInfinity(res.Statistic));
    }
}
