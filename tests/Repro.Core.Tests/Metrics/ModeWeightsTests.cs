using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using static Repro.Core.Tests.Metrics.MetricsFixture;

namespace Repro.Core.Tests.Metrics;

public class ModeWeightsTests
{
    [Fact]
    public void BinomTestMatchesScipy()
    {
        foreach (var c in Cases("binomtest.json"))
            Close(c.D("pvalue"), ModeWeights.BinomTestTwoSided(c.I("k"), c.I("n"), c.D("p")), 1e-8, 1e-300,
                $"binomtest({c.I("k")}, {c.I("n")}, {c.D("p")})");
    }

    [Fact]
    public void ChiSquareMatchesScipy()
    {
        foreach (var c in Cases("chisquare.json"))
        {
            var obs = c.GetProperty("observed").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var (s, p) = ModeWeights.ChiSquare(obs, c.Doubles("p"));
            Close(c.D("statistic"), s, 1e-12, 1e-15, "chisquare statistic");
            Close(c.D("pvalue"), p, 1e-8, 1e-300, "chisquare p");
        }
    }

    [Fact]
    public void SharesAndWilsonIntervals()
    {
        // 3 points to component 1, 1 to component 0 (row 3 ties → first index).
        var r = new Points([0.1, 0.9, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6], 2);
        var res = ModeWeights.Test(r, [0.5, 0.5]);
        Assert.Equal([1, 3], res.Modes.Select(m => m.Count));
        Assert.Equal("binomial", res.Test);
        Close(0.625, res.PValue, 1e-12, 0, "binom(1,4,0.5)");
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

    [Fact]
    public void NullPValuesAreRoughlyUniformAndWrongWeightsAreDetected()
    {
        var root = new RandomStream(61);
        double[] w3 = [0.2, 0.3, 0.5];
        var p2 = new List<double>();
        var p3 = new List<double>();
        for (int rep = 0; rep < 200; rep++)
        {
            var rs = root.Child(rep);
            p2.Add(ModeWeights.Test(OneHot(rs, 500, [0.3, 0.7]), [0.3, 0.7]).PValue);
            p3.Add(ModeWeights.Test(OneHot(rs, 500, w3), w3).PValue);
        }
        // Discrete tests: the binomial p-values sit on a lattice, so test uniformity of the χ² ones and only
        // check the binomial rejection rate at 5%.
        LooksUniform(p3, "chi-square");
        int rejections = p2.Count(p => p < 0.05);
        Assert.InRange(rejections, 2, 20);
        var rsw = new RandomStream(62);
        Assert.True(ModeWeights.Test(OneHot(rsw, 1000, [0.4, 0.6]), [0.3, 0.7]).PValue < 0.01);
        Assert.True(ModeWeights.Test(OneHot(rsw, 1000, [0.25, 0.25, 0.5]), w3).PValue < 0.01);
    }

    static Points OneHot(RandomStream rs, int n, double[] w)
    {
        var p = Points.Zeros(n, w.Length);
        for (int i = 0; i < n; i++)
        {
            double u = rs.NextDouble(), c = 0;
            int k = 0;
            for (; k < w.Length - 1; k++)
            {
                c += w[k];
                if (u < c) break;
            }
            p[i][k] = 0.9;
            for (int j = 0; j < w.Length; j++) if (j != k) p[i][j] = 0.1 / (w.Length - 1);
        }
        return p;
    }
}
