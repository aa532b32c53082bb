using Repro.Core.Numerics;
using Repro.Core.Random;
using ScottPlot;

namespace Repro.Reporting.Tests;

/// <summary>
/// The trajectory figure of a sampler from a wide prior frames the data as the distributions figure does: a reverse SDE
/// from N(0, 80²I) drew its paths over ±250 on one pair of axes, where the two blobs of the data were a dot.
/// </summary>
public sealed class TrajectoryFrameTests
{
    /// <summary>n draws of ½N((−5, −5), I) + ½N((5, 5), I).</summary>
    static Points TwoBlobs(RandomStream rng, int n)
    {
        var p = Points.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            double centre = i % 2 == 0 ? 5 : -5;
            p.Data[2 * i] = centre + rng.NextGaussian();
            p.Data[2 * i + 1] = centre + rng.NextGaussian();
        }
        return p;
    }

    /// <summary>
    /// 20 particles over 51 records: from a start of sd <paramref name="startSd"/> towards the ends (two blobs), each record
    /// the straight interpolation plus noise that shrinks with it, as a reverse SDE's paths do.
    /// </summary>
    static Points[] Paths(RandomStream rng, double startSd, Points ends)
    {
        var start = Points.Zeros(ends.Count, 2);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] = startSd * rng.NextGaussian();
        var records = new Points[51];
        for (int r = 0; r <= 50; r++)
        {
            double t = r / 50.0;
            var x = Points.Zeros(ends.Count, 2);
            for (int i = 0; i < x.Data.Length; i++)
                x.Data[i] = r == 50 ? ends.Data[i] : (1 - t) * start.Data[i] + t * ends.Data[i] + 0.05 * startSd * (1 - t) * rng.NextGaussian();
            records[r] = x;
        }
        return records;
    }

    [Fact]
    public void Paths_from_a_prior_of_sd_80_get_their_own_axes_and_the_data_s_window_frames_p0_and_the_ends()
    {
        var rng = new RandomStream(11);
        var reference = TwoBlobs(rng.Child("p0"), 2000);
        var ends = TwoBlobs(rng.Child("ends"), 20);
        var records = Paths(rng.Child("paths"), 80, ends);
        double[] steps = Enumerable.Range(0, 51).Select(r => 5.0 * r).ToArray();

        var frame = Plots.TrajectoryFrame(records, reference);
        var mp = Plots.TrajectoryFramedPlot(steps, records, reference, "reverse-sde");
        mp.GetPlot(0).GetImageBytes(750, 620, ImageFormat.Png);
        mp.GetPlot(1).GetImageBytes(750, 620, ImageFormat.Png);

        Assert.True(frame.Apart);
        var whole = mp.GetPlot(0);
        var inside = mp.GetPlot(1);
        for (int k = 0; k < 2; k++)
        {
            var own = k == 0 ? whole.Axes.Bottom.Range : whole.Axes.Left.Range;
            var data = k == 0 ? inside.Axes.Bottom.Range : inside.Axes.Left.Range;
            // The left panel holds every recorded position …
            var all = records.SelectMany(r => r.Column(k)).ToArray();
            Assert.True(own.Min <= all.Min() && own.Max >= all.Max(), $"x{k + 1}: [{own.Min}, {own.Max}] misses a recorded position");
            // … the right one p₀ and every end, within a small factor of p₀'s range (not the prior's ±250).
            var framed = reference.Column(k).Concat(ends.Column(k)).ToArray();
            Assert.True(data.Min <= framed.Min() && data.Max >= framed.Max(), $"x{k + 1}: [{data.Min}, {data.Max}] misses p₀ or an end");
            Assert.True(data.Max - data.Min <= 1.2 * (framed.Max() - framed.Min()), $"x{k + 1}: width {data.Max - data.Min} against {framed.Max() - framed.Min()}");
        }
        // The left panel marks the right panel's window, dashed, and both titles say what they frame.
        var box = whole.GetPlottables<ScottPlot.Plottables.Rectangle>().Single();
        Assert.Equal(inside.Axes.Bottom.Range.Min, box.X1, 10);
        Assert.Equal(inside.Axes.Bottom.Range.Max, box.X2, 10);
        Assert.Equal(inside.Axes.Left.Range.Min, box.Y1, 10);
        Assert.Equal(inside.Axes.Left.Range.Max, box.Y2, 10);
        Assert.Equal(LinePattern.Dashed, box.LineStyle.Pattern);
        Assert.Contains("on their own axes", whole.Axes.Title.Label.Text);
        Assert.Contains("% of recorded positions outside", inside.Axes.Title.Label.Text);
        // The right panel draws each path from its arrival in the window: every drawn point inside it, each line ending at its end.
        var lines = inside.GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(20, lines.Length);
        for (int p = 0; p < 20; p++)
        {
            var points = lines[p].Data.GetScatterPoints();
            Assert.All(points, c => Assert.True(c.X >= box.X1 && c.X <= box.X2 && c.Y >= box.Y1 && c.Y <= box.Y2, $"particle {p}: ({c.X}, {c.Y}) outside"));
            Assert.Equal(ends.Data[2 * p], points[^1].X);
            Assert.Equal(ends.Data[2 * p + 1], points[^1].Y);
        }
    }

    [Fact]
    public void A_path_arrives_at_the_first_record_from_which_it_stays_inside()
    {
        // One particle: inside, out, in, in; another never leaves; a third ends outside.
        var records = new[]
        {
            new Points([0.0, 0.0, 0.5, 0.5, 0.0, 0.0], 2),
            new Points([9.0, 0.0, 0.5, 0.5, 0.0, 0.0], 2),
            new Points([0.5, 0.5, 0.5, 0.5, 0.0, 0.0], 2),
            new Points([0.2, 0.2, 0.5, 0.5, 0.0, 5.0], 2),
        };

        Assert.Equal([2, 0, 4], Plots.Arrivals(records, [-1, -1], [1, 1]));
    }

    [Fact]
    public void Paths_that_stay_near_the_data_keep_one_panel()
    {
        var rng = new RandomStream(11);
        var reference = TwoBlobs(rng.Child("p0"), 2000);
        var ends = TwoBlobs(rng.Child("ends"), 20);
        // A forward-noised start: the data plus N(0, 1.25²I), as single-σ Langevin starts.
        var records = Paths(rng.Child("paths"), 1.25, ends);
        for (int i = 0; i < records[0].Data.Length; i++) records[0].Data[i] += ends.Data[i];

        Assert.False(Plots.TrajectoryFrame(records, reference).Apart);
    }
}
