using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

public class MomentTraceTests
{
    [Fact]
    public void Traces_the_spread_step_by_step_whatever_the_chunking()
    {
        var target = new Mixture([1.0], [new GaussianComponent([1.0, -1.0], [2, 0, 0, 0.5])]);
        var start = new double[2 * 200];
        var rng = new RandomStream(4);
        for (int i = 0; i < start.Length; i++) start[i] = 0.1 * rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));
        var sampler = new UnadjustedLangevin(0.05, 30);

        var whole = new MomentTrace(200, 2, 30, 7);
        var final = new Points((double[])start.Clone(), 2);
        sampler.Run(new ExactScore(target, 0), final, 0, noise, whole.Observer(0));
        var chunked = new MomentTrace(200, 2, 30, 7);
        for (int first = 0; first < 200; first += 37)
        {
            int count = Math.Min(37, 200 - first);
            sampler.Run(new ExactScore(target, 0), new Points(start.AsSpan(first * 2, count * 2).ToArray(), 2), first, noise, chunked.Observer(first));
        }

        var rows = whole.Moments().ToList();
        Assert.Equal([0, 7, 14, 21, 28, 30], rows.Select(r => r.Step));
        Assert.Equal(rows.SelectMany(r => r.Mean.Concat(r.Variance)), chunked.Moments().SelectMany(r => r.Mean.Concat(r.Variance)));
        // The last row is the final particles' two-pass moments; the spread grows from the tight start.
        var x2 = final.Column(1);
        double m = x2.Average();
        Assert.Equal(m, rows[^1].Mean[1], 12);
        Assert.Equal(x2.Sum(v => (v - m) * (v - m)) / 199, rows[^1].Variance[1], 12);
        Assert.True(rows[0].Variance[0] < 0.02 && rows[^1].Variance[0] > 10 * rows[0].Variance[0]);
    }
}
