using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Xunit.Abstractions;
using static Repro.Core.Tests.Metrics.MetricsFixture;

namespace Repro.Core.Tests.Metrics;

public class KernelSteinTests
{
    static Points StdNormalScore(Points x)
    {
        var s = x.Clone();
        for (int i = 0; i < s.Data.Length; i++) s.Data[i] = -s.Data[i];
        return s;
    }

    [Fact]
    public void Ksd2MatchesPlainNumpy()
    {
        foreach (var c in Cases("ksd.json"))
        {
            int d = c.I("d");
            var x = c.Points("x", d);
            var s = c.Points("score", d); // the fixture's score at exactly these points (normal or mixture)
            double v = KernelStein.Ksd2(x, p => p.Count == x.Count ? s : throw new InvalidOperationException());
            Close(c.D("ksd2u"), v, 1e-10, 1e-13, $"ksd d={d} n={x.Count} {c.GetProperty("target").GetString()}");
        }
    }

    [Fact]
    public void TestAgreesWithStatisticAndIsDeterministic()
    {
        var x = KolmogorovSmirnovTests.Gaussian(new RandomStream(5), 80, 2, 0.1);
        var r = KernelStein.Test(x, StdNormalScore, 60, new RandomStream(6));
        Assert.Equal(KernelStein.Ksd2(x, StdNormalScore), r.Ksd2, 13);
        Assert.Equal(r, KernelStein.Test(x, StdNormalScore, 60, new RandomStream(6)));
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        Assert.Throws<ArgumentException>(() => KernelStein.Ksd2(Points.Zeros(1, 2), StdNormalScore));
        Assert.Throws<ArgumentException>(() => KernelStein.Ksd2(Points.Zeros(4, 2), _ => Points.Zeros(3, 2)));
        Assert.Throws<ArgumentException>(() => KernelStein.Ksd2(Points.Zeros(4, 2), _ => new Points([0, 0, 0, 0, 0, 0, double.NaN, 0], 2)));
    }

    [Fact]
    public void NullPValuesAreUniformAndShiftIsDetected()
    {
        var root = new RandomStream(41);
        var ps = new List<double>();
        for (int rep = 0; rep < 200; rep++)
        {
            var rs = root.Child(rep);
            var x = KolmogorovSmirnovTests.Gaussian(rs, 60, 2, 0);
            ps.Add(KernelStein.Test(x, StdNormalScore, 99, rs.Child("boot")).PValue);
        }
        LooksUniform(ps, "KSD wild bootstrap");
        var y = KolmogorovSmirnovTests.Gaussian(new RandomStream(42), 200, 2, 0.5);
        Assert.True(KernelStein.Test(y, StdNormalScore, 199, new RandomStream(43)).PValue < 0.01);
    }
}
