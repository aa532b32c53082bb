using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using static Repro.Core.Tests.Metrics.MetricsFixture;

namespace Repro.Core.Tests.Metrics;

public class KolmogorovSmirnovTests
{
    static double NormCdf(double x) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    [Fact]
    public void TwoSampleMatchesScipyKs2samp()
    {
        foreach (var c in Cases("ks2samp.json"))
        {
            var x = c.Doubles("x");
            var y = c.Doubles("y");
            var r = KolmogorovSmirnov.TwoSample(x, y);
            string what = $"ks_2samp n={x.Length} m={y.Length}";
            Close(c.D("statistic"), r.Statistic, 1e-10, 1e-15, what + " D");
            Close(c.D("pvalue"), r.PValue, 1e-8, 1e-300, what + " p");
            Assert.Equal(c.GetProperty("method").GetString() == "exact" ? KsMethod.Exact : KsMethod.Asymptotic, r.Method);
        }
    }

    [Fact]
    public void OneSampleMatchesScipyKstestAgainstNormalCdf()
    {
        foreach (var c in Cases("kstest.json"))
        {
            var x = c.Doubles("x");
            var r = KolmogorovSmirnov.OneSample(x, NormCdf);
            string what = $"kstest n={x.Length}";
            Close(c.D("statistic"), r.Statistic, 1e-12, 1e-15, what + " D");
            Close(c.D("pvalue"), r.PValue, 1e-8, 1e-300, what + " p");
        }
    }

    [Fact]
    public void KolmogorovAndSmirnovSurvivalMatchScipy()
    {
        foreach (var c in Cases("kstwo.json"))
        {
            int n = c.I("n");
            double d = c.D("d");
            Close(c.D("sf"), KolmogorovDistribution.KolmogorovSf(n, d), 1e-9, 1e-300, $"kstwo.sf({d}, {n})");
            Close(c.D("smirnov"), KolmogorovDistribution.SmirnovSf(n, d), 1e-9, 1e-300, $"smirnov({n}, {d})");
        }
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.OneSample([1.0], _ => double.NaN));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.PerCoordinate(Points.Zeros(3, 2), Points.Zeros(3, 1)));
    }

    [Fact]
    public void NullPValuesAreUniformAndShiftIsDetected()
    {
        var root = new RandomStream(11);
        var two = new List<double>();
        var one = new List<double>();
        var coord = new List<double>();
        var sliced = new List<double>();
        for (int rep = 0; rep < 200; rep++)
        {
            var rs = root.Child(rep);
            var x = Gaussian(rs, 97, 2, 0);
            var y = Gaussian(rs, 80, 2, 0);
            two.Add(KolmogorovSmirnov.TwoSample(x.Column(0), y.Column(0)).PValue);
            one.Add(KolmogorovSmirnov.OneSample(x.Column(1), NormCdf).PValue);
            coord.Add(KolmogorovSmirnov.PerCoordinate(x, y).Coordinates[1].PValue);
            sliced.Add(KolmogorovSmirnov.Sliced(x, y, 8, 99, rs.Child("sliced")).PValue);
        }
        LooksUniform(two, "ks_2samp");
        LooksUniform(one, "kstest");
        LooksUniform(coord, "per-coordinate");
        LooksUniform(sliced, "sliced");

        var p = new RandomStream(12);
        var a = Gaussian(p, 300, 2, 0);
        var b = Gaussian(p, 250, 2, 0.4);
        Assert.True(KolmogorovSmirnov.TwoSample(a.Column(0), b.Column(0)).PValue < 0.01);
        Assert.True(KolmogorovSmirnov.OneSample(b.Column(1), NormCdf).PValue < 0.01);
        Assert.True(KolmogorovSmirnov.PerCoordinate(a, b).MinAdjustedPValue < 0.01);
        Assert.True(KolmogorovSmirnov.Sliced(a, b, 16, 199, p.Child("s")).PValue < 0.01);
    }

    [Fact]
    public void SlicedIsDeterministicGivenTheStream()
    {
        var x = Gaussian(new RandomStream(3), 200, 3, 0);
        var y = Gaussian(new RandomStream(4), 150, 3, 0.1);
        var r1 = KolmogorovSmirnov.Sliced(x, y, 20, 100, new RandomStream(5));
        var r2 = KolmogorovSmirnov.Sliced(x, y, 20, 100, new RandomStream(5));
        Assert.Equal(r1, r2);
    }

    internal static Points Gaussian(RandomStream rs, int n, int d, double shift)
    {
        var p = Points.Zeros(n, d);
        rs.FillGaussian(p.Data);
        for (int i = 0; i < p.Data.Length; i++) p.Data[i] += shift;
        return p;
    }
}
