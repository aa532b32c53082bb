using Repro.Core.Numerics;
using ScottPlot;
using SkiaSharp;

namespace Repro.Reporting.Tests;

/// <summary>Properties a wrong figure would break: arrow lengths in one unit across panels, the trajectory axis in real steps.</summary>
public sealed class FigurePropertyTests
{
    static Points Grid(int side)
    {
        var g = Points.Zeros(side * side, 2);
        for (int i = 0; i < side * side; i++) { g.Data[2 * i] = i % side; g.Data[2 * i + 1] = i / side; }
        return g;
    }

    static Points Field(Points grid, double factor)
    {
        // A linear field −factor·(x − c): like ∇log of a Gaussian, longer for the narrower law.
        var f = Points.Zeros(grid.Count, 2);
        for (int i = 0; i < grid.Count; i++) { f.Data[2 * i] = -factor * (grid.Data[2 * i] - 2); f.Data[2 * i + 1] = -factor * (grid.Data[2 * i + 1] - 2); }
        return f;
    }

    static double MeanLength(IEnumerable<(Coordinates Root, Coordinates Tip)> arrows) =>
        arrows.Average(a => Math.Sqrt((a.Tip.X - a.Root.X) * (a.Tip.X - a.Root.X) + (a.Tip.Y - a.Root.Y) * (a.Tip.Y - a.Root.Y)));

    [Fact]
    public void Score_field_panels_share_one_arrow_scale_so_a_field_2_56_times_larger_draws_2_56_times_longer()
    {
        var grid = Grid(5);
        var sigmaField = Field(grid, 1 / 2.56);
        var p0Field = Field(grid, 1.0);
        double scale = Plots.ArrowScale([sigmaField, p0Field], cell: 1);

        double ratio = MeanLength(Plots.ArrowSegments(grid, p0Field, scale)) / MeanLength(Plots.ArrowSegments(grid, sigmaField, scale));

        // Scaled per panel, both would draw the same lengths (ratio 1).
        Assert.Equal(2.56, ratio, 10);
        // The 95th percentile of |s| over both panels spans one grid cell.
        var lengths = Plots.ArrowSegments(grid, p0Field, scale).Concat(Plots.ArrowSegments(grid, sigmaField, scale))
            .Select(a => Math.Sqrt((a.Tip.X - a.Root.X) * (a.Tip.X - a.Root.X) + (a.Tip.Y - a.Root.Y) * (a.Tip.Y - a.Root.Y))).Order().ToArray();
        Assert.InRange(lengths[(int)(0.95 * (lengths.Length - 1))], 0.99, 1.01);
    }

    [Fact]
    public void A_scaled_arrow_is_drawn_in_data_space_pointing_up_for_an_upward_vector()
    {
        var plot = new Plot();
        plot.Axes.SetLimits(-1, 1, -1, 1);
        Plots.AddArrows(plot, new Points([0, 0], 2), new Points([0, 2], 2), Colors.Red, scale: 0.4);
        plot.HideGrid();
        byte[] png = plot.GetImageBytes(400, 400, ImageFormat.Png);
        var root = plot.GetPixel(new Coordinates(0, 0));
        var tip = plot.GetPixel(new Coordinates(0, 0.8));
        using var bitmap = SKBitmap.Decode(png);
        var red = new List<(int X, int Y)>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 180 && c.Green < 90 && c.Blue < 90) red.Add((x, y));
            }
        Assert.True(red.Count > 20, $"the arrow is drawn ({red.Count} red pixels)");
        // It runs from the root up to root + 0.4·(0, 2) = (0, 0.8), within a few pixels.
        Assert.InRange(red.Min(p => p.Y), tip.Y - 4, tip.Y + 4);
        Assert.InRange(red.Max(p => p.Y), root.Y - 4, root.Y + 4);
    }

    [Fact]
    public void The_1d_trajectory_axis_spans_the_chains_real_step_count()
    {
        // 201 records of a 1000-step chain, every 5 steps: the axis must reach step 1000, not 200.
        double[] steps = Enumerable.Range(0, 201).Select(i => 5.0 * i).ToArray();
        var states = steps.Select(s => new Points([Math.Sin(s / 100), Math.Cos(s / 100)], 1)).ToArray();

        var plot = Plots.TrajectoryPlot(steps, states, null, "test");
        plot.Axes.AutoScale();

        Assert.InRange(plot.Axes.Bottom.Range.Max, 1000, 1100);
        Assert.InRange(plot.Axes.Bottom.Range.Min, -100, 0);
        Assert.Throws<ArgumentException>(() => Plots.TrajectoryPlot(steps[..10], states, null, "test"));
    }

    /// <summary>Twelve series (six reconstructions × two coordinates) at constant, well-separated levels, and p₀'s two levels.</summary>
    static (List<Plots.VarianceSeries> Lines, List<Plots.VarianceLevel> Levels) TwelveSeries()
    {
        double[] steps = Enumerable.Range(0, 101).Select(i => 10.0 * i).ToArray();
        var lines = new List<Plots.VarianceSeries>();
        for (int r = 0; r < 6; r++)
            for (int k = 0; k < 2; k++)
            {
                double level = 0.12 + 0.15 * (2 * r + k);
                lines.Add(new($"reconstruction-{r}", k, $"reconstruction-{r}, x{k + 1}", steps, steps.Select(_ => level).ToArray()));
            }
        return (lines, [new(0, "p₀, x1", 0.04), new(1, "p₀, x2", 1.93)]);
    }

    [Fact]
    public void Every_line_of_the_variance_figure_has_its_own_style_beyond_ten_series()
    {
        var (lines, levels) = TwelveSeries();

        var styles = Plots.VarianceByStepStyles(lines, levels);

        Assert.Equal(lines.Count + 1 + levels.Count, styles.Count);
        // Colour, dash pattern and width together tell every line apart (a 10-colour palette alone repeats at 11).
        Assert.Equal(styles.Count, styles.Distinct().Count());
        // A reconstruction keeps one colour across its coordinates; a coordinate one pattern across reconstructions.
        Assert.Equal(6, styles.Take(lines.Count).Select(st => st.Color).Distinct().Count());
        Assert.Equal(2, styles.Take(lines.Count).Select(st => st.Pattern).Distinct().Count());
        // p₀'s two levels differ from each other (they were once drawn alike).
        Assert.NotEqual(styles[^1], styles[^2]);
    }

    [Fact]
    public void The_variance_figure_legend_covers_no_plotted_data()
    {
        var (lines, levels) = TwelveSeries();
        var styles = Plots.VarianceByStepStyles(lines, levels);
        var plot = Plots.VarianceByStepPlot(lines, levels, "test");

        using var bitmap = SKBitmap.Decode(plot.GetImageBytes(1100, 500, ImageFormat.Png));

        // Every series is visible in its own colour along its whole length: a legend drawn over the data hides the
        // series under it (the former legend, inside the upper right, hid the top series after step ≈ 650).
        for (int i = 0; i < lines.Count; i++)
        {
            var colour = styles[i].Color;
            int seen = 0, samples = 0;
            for (double step = 20; step <= 980; step += 40)
            {
                samples++;
                var pixel = plot.GetPixel(new Coordinates(step, lines[i].Ratio[0]));
                bool found = false;
                for (int dx = -8; dx <= 8 && !found; dx++)
                    for (int dy = -2; dy <= 2 && !found; dy++)
                    {
                        var c = bitmap.GetPixel((int)pixel.X + dx, (int)pixel.Y + dy);
                        found = Math.Abs(c.Red - colour.R) + Math.Abs(c.Green - colour.G) + Math.Abs(c.Blue - colour.B) < 60;
                    }
                if (found) seen++;
            }
            Assert.True(seen == samples, $"{lines[i].Label}: seen at {seen} of {samples} steps");
        }
        // The legend sits right of the data: the data area ends well before the image does.
        var right = plot.GetPixel(new Coordinates(1000, 1));
        Assert.True(right.X < 1100 - 150, $"data area reaches x = {right.X} of 1100: no room for the legend outside it");
    }
}
