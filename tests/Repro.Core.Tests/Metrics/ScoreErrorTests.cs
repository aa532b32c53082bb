using Repro.Core.Metrics;
using Repro.Core.Numerics;

namespace Repro.Core.Tests.Metrics;

public class ScoreErrorTests
{
    [Fact]
    public void HandComputedValues()
    {
        // truth s = (1,0),(0,2),(2,0),(0,1); learned adds errors (1,0),(0,0),(0,1),(1,1) → a = 1,0,1,2; b = 1,4,4,1
        var truth = new Points([1, 0, 0, 2, 2, 0, 0, 1], 2);
        var learned = new Points([2, 0, 0, 2, 2, 1, 1, 2], 2);
        var r = ScoreError.Compute(learned, truth);
        Assert.Equal(1.0, r.FisherDivergence, 14);
        Assert.Equal(Math.Sqrt(2.0 / 3 / 4), r.FisherStandardError, 14);      // var(a) = 2/3
        Assert.Equal(Math.Sqrt(1.0 / 2.5), r.RelativeL2, 14);
        double R = Math.Sqrt(0.4), ga = 1 / (2 * R * 2.5), gb = -R / (2 * 2.5);
        double vaa = 2.0 / 3, vbb = 3.0, vab = (0 * -1.5 + -1 * 1.5 + 0 * 1.5 + 1 * -1.5) / 3; // = −1
        Assert.Equal(Math.Sqrt((ga * ga * vaa + 2 * ga * gb * vab + gb * gb * vbb) / 4), r.RelativeL2StandardError, 14);
        Assert.Equal(4, r.Count);
    }

    [Fact]
    public void PerfectScoreHasZeroError()
    {
        var t = new Points([1, 2, 3, 4, 5, 6], 3);
        var r = ScoreError.Compute(t, p => p.Clone(), p => p.Clone());
        Assert.Equal(0, r.FisherDivergence);
        Assert.Equal(0, r.RelativeL2);
        Assert.Equal(0, r.RelativeL2StandardError);
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        Assert.Throws<ArgumentException>(() => ScoreError.Compute(Points.Zeros(3, 2), Points.Zeros(3, 1)));
        Assert.Throws<ArgumentException>(() => ScoreError.Compute(Points.Zeros(1, 2), new Points([1, 1], 2)));
        Assert.Throws<ArgumentException>(() => ScoreError.Compute(Points.Zeros(3, 2), Points.Zeros(3, 2)));
        Assert.Throws<ArgumentException>(() => ScoreError.Compute(new Points([double.NaN, 0, 0, 0], 2), new Points([1, 1, 1, 1], 2)));
    }
}
