using Repro.Core.Geometry;
using Repro.Core.Numerics;
using Repro.Core.Random;
using ScottPlot;

namespace Repro.Reporting.Tests;

/// <summary>
/// The cloud figure draws invariant features of the right points: 3-4-5 right triangles placed in random orientations and
/// positions have pairwise distances 3, 4 and 5 (a third of the mass each) and radius of gyration √50/3 whatever the
/// placement; reading a cloud with the wrong stride, or a coordinate instead of a point, would spread that mass.
/// </summary>
public sealed class CloudFeaturesFigureTests
{
    /// <summary>n triangles with sides 3, 4, 5, each rotated by a Haar rotation and translated by N(0, 10²I₃).</summary>
    static Points Triangles(int n, RandomStream rng)
    {
        double[][] triangle = [[0, 0, 0], [3, 0, 0], [0, 4, 0]];
        var x = Points.Zeros(n, 9);
        for (int i = 0; i < n; i++)
        {
            var r = HaarRotation.Sample(rng.Child(i)); // row-major 3 × 3
            var shift = new double[3];
            rng.Child(i).Child("shift").FillGaussian(shift);
            for (int k = 0; k < 3; k++)
                for (int a = 0; a < 3; a++)
                {
                    double v = 10 * shift[a];
                    for (int b = 0; b < 3; b++) v += r[3 * a + b] * triangle[k][b];
                    x[i][3 * k + a] = v;
                }
        }
        return x;
    }

    [Fact]
    public void Features_of_a_triangle_are_its_sides_and_its_radius_of_gyration_wherever_it_is()
    {
        var x = Triangles(20, new RandomStream(3));

        var d = CloudFeatures.PairwiseDistances(x, 3, 3);
        var rg = CloudFeatures.RadiusOfGyration(x, 3, 3);

        Assert.Equal(60, d.Length);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal([3.0, 4.0, 5.0], d.Skip(3 * i).Take(3).Order().Select(v => Math.Round(v, 9)));
            Assert.Equal(Math.Sqrt(50) / 3, rg[i], 10); // R_g² = (1/K²) Σ_{i<j} d_ij² = 50/9
        }
        Assert.Throws<ArgumentException>(() => CloudFeatures.PairwiseDistances(x, 4, 3));
    }

    [Fact]
    public void Each_plotted_histogram_has_area_one_and_puts_the_triangles_mass_at_3_4_and_5()
    {
        var x = Triangles(50, new RandomStream(4));
        var mp = Plots.CloudFeaturesPlot([("reference", x), ("samples", Triangles(30, new RandomStream(5)))], 3, 3, "test");

        var distances = mp.GetPlot(0).GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        var radii = mp.GetPlot(1).GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(2, distances.Length);
        Assert.Equal(2, radii.Length);
        foreach (var line in distances)
        {
            var steps = line.Data.GetScatterPoints().ToArray();
            // Bin b is drawn as the segment (x_{2b+1}, x_{2b+2}) at its height.
            var bins = Enumerable.Range(0, Plots.CloudFeatureBins).Select(b => (Lo: steps[2 * b + 1].X, Hi: steps[2 * b + 2].X, Height: steps[2 * b + 1].Y)).ToArray();
            Assert.Equal(1.0, bins.Sum(b => (b.Hi - b.Lo) * b.Height), 9);
            foreach (double side in new[] { 3.0, 4.0, 5.0 })
            {
                double mass = bins.Where(b => side >= b.Lo - 1e-9 && side <= b.Hi + 1e-9).Sum(b => (b.Hi - b.Lo) * b.Height);
                Assert.Equal(1.0 / 3, mass, 9);
            }
        }
        Assert.Equal("reference (50 clouds)", distances[0].LegendText);
        // Every radius of gyration is √50/3, so the whole mass sits in the one bin that holds it.
        foreach (var line in radii)
        {
            var steps = line.Data.GetScatterPoints().ToArray();
            var full = Enumerable.Range(0, Plots.CloudFeatureBins).Select(b => (Lo: steps[2 * b + 1].X, Hi: steps[2 * b + 2].X, Height: steps[2 * b + 1].Y))
                .Single(b => b.Height > 0);
            Assert.InRange(Math.Sqrt(50) / 3, full.Lo, full.Hi);
            Assert.Equal(1.0, (full.Hi - full.Lo) * full.Height, 9);
        }
    }

    [Fact]
    public void The_conformer_figure_reads_each_triangle_as_a_chain_of_sides_3_and_5()
    {
        // Points 1-2-3 of each triangle, (0, 0, 0), (3, 0, 0), (0, 4, 0), as a chain: neighbour spacings 3 and 5 (half the
        // mass each), never 4 (points 1 and 3 are not neighbours).
        var mp = Plots.ConformerFeaturesPlot([("held-out", Triangles(10, new RandomStream(6))), ("samples", Triangles(40, new RandomStream(7)))], "test");

        Assert.Equal(3, mp.Subplots.Count);
        foreach (var line in mp.GetPlot(0).GetPlottables<ScottPlot.Plottables.Scatter>())
        {
            var steps = line.Data.GetScatterPoints().ToArray();
            var bins = Enumerable.Range(0, Plots.CloudFeatureBins).Select(b => (Lo: steps[2 * b + 1].X, Hi: steps[2 * b + 2].X, Height: steps[2 * b + 1].Y)).ToArray();
            Assert.Equal(1.0, bins.Sum(b => (b.Hi - b.Lo) * b.Height), 9);
            foreach (double side in new[] { 3.0, 5.0 })
                Assert.Equal(0.5, bins.Where(b => side >= b.Lo - 1e-9 && side <= b.Hi + 1e-9).Sum(b => (b.Hi - b.Lo) * b.Height), 9);
            Assert.Equal(0.0, bins.Where(b => 4.0 >= b.Lo - 1e-9 && 4.0 <= b.Hi + 1e-9).Sum(b => b.Height));
        }
        Assert.Equal(2, mp.GetPlot(1).GetPlottables<ScottPlot.Plottables.Scatter>().Count());
        Assert.Equal("held-out (10 clouds)", mp.GetPlot(2).GetPlottables<ScottPlot.Plottables.Scatter>().First().LegendText);
    }
}
