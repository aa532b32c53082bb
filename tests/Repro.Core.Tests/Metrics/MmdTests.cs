using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Xunit.Abstractions;
using static Repro.Core.Tests.Metrics.MetricsFixture;

namespace Repro.Core.Tests.Metrics;

public class MmdTests
{
    [Fact]
    public void StatisticsAndMedianMatchPlainNumpy()
    {
        foreach (var c in Cases("mmd.json"))
        {
            int d = c.I("d");
            var x = c.Points("x", d);
            var y = c.Points("y", d);
            string what = $"mmd d={d} n={x.Count} m={y.Count}";
            var (u, b) = Mmd.Statistic(x, y, c.D("bandwidth"));
            // MMD² is a difference of O(1) sums: compare relative to the size of those sums (1e-10 of 1 absolute).
            Close(c.D("mmd2u"), u, 1e-10, 1e-12, what + " U");
            Close(c.D("mmd2b"), b, 1e-10, 1e-12, what + " V");
            double h = Mmd.MedianDistance(x, y);
            Close(c.D("median"), h, 1e-12, 0, what + " median");
            var (um, bm) = Mmd.Statistic(x, y, h);
            Close(c.D("mmd2u_median"), um, 1e-10, 1e-12, what + " U(median)");
            Close(c.D("mmd2b_median"), bm, 1e-10, 1e-12, what + " V(median)");
        }
    }

    [Fact]
    public void MedianBySelectionAndByBisectionAgree()
    {
        foreach (var (n, m) in new[] { (30, 21), (40, 40) }) // odd and even pair counts
        {
            var x = KolmogorovSmirnovTests.Gaussian(new RandomStream(7), n, 2, 0);
            var y = KolmogorovSmirnovTests.Gaussian(new RandomStream(8), m, 2, 1);
            Assert.Equal(Mmd.MedianDistance(x, y), Mmd.MedianDistance(x, y, maxStoredPairs: 0));
        }
    }

    [Fact]
    public void PermutationTestAgreesWithDirectStatistic()
    {
        var x = KolmogorovSmirnovTests.Gaussian(new RandomStream(1), 70, 3, 0);
        var y = KolmogorovSmirnovTests.Gaussian(new RandomStream(2), 45, 3, 0.2);
        var r = Mmd.Test(x, y, 1.3, 50, new RandomStream(3));
        var (u, b) = Mmd.Statistic(x, y, 1.3);
        Assert.Equal(u, r.Mmd2Unbiased, 12);
        Assert.Equal(b, r.Mmd2Biased, 12);
        Assert.Equal(r, Mmd.Test(x, y, 1.3, 50, new RandomStream(3)));
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        var x = Points.Zeros(5, 2);
        Assert.Throws<ArgumentException>(() => Mmd.Statistic(x, Points.Zeros(1, 2), 1.0));
        Assert.Throws<ArgumentException>(() => Mmd.Statistic(x, Points.Zeros(5, 3), 1.0));
        Assert.Throws<ArgumentException>(() => Mmd.Statistic(x, x, 0.0));
        Assert.Throws<ArgumentException>(() => Mmd.MedianDistance(x, x));
        var nan = Points.Zeros(3, 2);
        nan.Data[1] = double.NaN;
        Assert.Throws<ArgumentException>(() => Mmd.Statistic(x, nan, 1.0));
    }

    [Fact]
    public void NullPValuesAreUniformAndShiftIsDetected()
    {
        var root = new RandomStream(21);
        var pm = new List<double>();
        var pl = new List<double>();
        for (int rep = 0; rep < 200; rep++)
        {
            var rs = root.Child(rep);
            var x = KolmogorovSmirnovTests.Gaussian(rs, 40, 2, 0);
            var y = KolmogorovSmirnovTests.Gaussian(rs, 30, 2, 0);
            pm.Add(Mmd.TestMedian(x, y, 99, rs.Child("perm")).PValue);
            pl.Add(Mmd.TestLadder(x, y, 99, rs.Child("ladder")).PValue);
        }
        LooksUniform(pm, "MMD median");
        LooksUniform(pl, "MMD ladder");

        var p = new RandomStream(22);
        var a = KolmogorovSmirnovTests.Gaussian(p, 150, 2, 0);
        var b = KolmogorovSmirnovTests.Gaussian(p, 120, 2, 0.5);
        Assert.True(Mmd.TestMedian(a, b, 199, p.Child("m")).PValue < 0.01);
        Assert.True(Mmd.TestLadder(a, b, 199, p.Child("l")).PValue < 0.01);
    }
}
