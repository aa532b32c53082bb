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

/// <summary>
/// Properties of the figures of issue 13 items 14, 17–21 that a wrong figure would break: legends outside the data,
/// trajectory axes that span the data, one denominator per variance axis, contour levels from the exact density,
/// mode-weight intervals over seeds.
/// </summary>
public sealed class FigureLayoutTests
{
    /// <summary>Pixels of a plot rendered at width × height whose colour is near <paramref name="color"/>.</summary>
    static HashSet<(int X, int Y)> Pixels(byte[] png, Color color)
    {
        using var bitmap = SKBitmap.Decode(png);
        var found = new HashSet<(int, int)>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - color.R) < 40 && Math.Abs(c.Green - color.G) < 40 && Math.Abs(c.Blue - color.B) < 40) found.Add((x, y));
            }
        return found;
    }

    [Fact]
    public void No_legend_covers_a_curve_that_runs_along_the_top_and_the_bottom_of_the_data()
    {
        // Two curves hug the top (ratio 1.9) and the bottom (0.1) of the axis over the whole run: a legend in any
        // corner of the data area would hide part of one of them (the generation x₂ curve of issue 13 item 14).
        double[] steps = Enumerable.Range(0, 101).Select(i => 10.0 * i).ToArray();
        var panel = new VariancePanel("p_σ, σ = 1.2",
            [new("high", 0, "high", steps, steps.Select(_ => 1.9).ToArray()), new("low", 0, "low", steps, steps.Select(_ => 0.1).ToArray())], [new(0, "p₀, x1", 0.7)]);
        var mp = Plots.VarianceByStepPlot([panel], "test");
        var plot = mp.GetPlot(0);
        var palette = new ScottPlot.Palettes.Category10();
        byte[] png = plot.GetImageBytes(1000, 420, ImageFormat.Png);
        var data = plot.RenderManager.LastRender.DataRect;
        foreach (var (level, colour) in new[] { (1.9, palette.GetColor(0)), (0.1, palette.GetColor(1)) })
        {
            var pixels = Pixels(png, colour);
            float y = plot.GetPixel(new Coordinates(0, level)).Y;
            // Every pixel column of the curve's span carries the curve (within 3 px of its level).
            float x0 = plot.GetPixel(new Coordinates(0, level)).X, x1 = plot.GetPixel(new Coordinates(1000, level)).X;
            var missing = Enumerable.Range((int)x0 + 2, (int)(x1 - x0) - 4)
                .Where(x => !Enumerable.Range((int)y - 3, 7).Any(yy => pixels.Contains((x, yy)))).ToArray();
            Assert.True(missing.Length == 0, $"curve at {level} hidden at {missing.Length} columns, first {missing.FirstOrDefault()} (data area {data})");
        }
    }

    [Fact]
    public void The_trajectory_axes_span_the_data_and_clip_an_excursion_saying_so()
    {
        // A particle that starts and ends inside [−8, 8] but visits ±60 on the way (annealed Langevin's high-noise levels).
        var background = new Points(Enumerable.Range(0, 400).SelectMany(i => new[] { -8 + 16.0 * (i % 20) / 19, -8 + 16.0 * (i / 20) / 19 }).ToArray(), 2);
        var records = Enumerable.Range(0, 11).Select(t => new Points(t == 0 ? [-7.0, 7.0] : t == 10 ? [5.0, 5.0] : [60.0 * (t % 2 == 0 ? 1 : -1), -60.0], 2)).ToArray();
        var plot = Plots.TrajectoryPlot(Enumerable.Range(0, 11).Select(t => 100.0 * t).ToArray(), records, background, "annealed");
        plot.GetImageBytes(800, 600, ImageFormat.Png);
        var x = plot.Axes.Bottom.Range;
        var y = plot.Axes.Left.Range;
        // The window is the data's [−8, 8] widened by 5%, not the excursion's ±60.
        Assert.Equal(-8.8, x.Min, 6);
        Assert.Equal(8.8, x.Max, 6);
        Assert.Equal(-8.8, y.Min, 6);
        Assert.Equal(8.8, y.Max, 6);
        Assert.Contains("81.8% of recorded positions outside the data's window, clipped", plot.Axes.Title.Label.Text);

        var inside = Plots.TrajectoryPlot([0, 1], [new Points([0.0, 0.0], 2), new Points([1.0, 1.0], 2)], background, "plain");
        Assert.Equal("plain", inside.Axes.Title.Label.Text);
    }

    [Fact]
    public void Each_variance_axis_has_one_denominator_named_in_its_label()
    {
        double[] steps = [0, 500, 1000];
        var plain = new VariancePanel("p₀", [new("plain-langevin", 0, "plain-langevin, x1", steps, [1.2, 1.5, 1.5])], []);
        var annealed = new VariancePanel("p_σ, σ = 1", [new("annealed-langevin", 0, "annealed-langevin, x1", steps, [1.2, 2.5, 1.0])], [new(0, "p₀, x1", 0.94)]);
        var mp = Plots.VarianceByStepPlot([plain, annealed], "control");

        Assert.Equal(2, mp.GetPlots().Length);
        Assert.Equal("variance / variance of p₀", mp.GetPlot(0).Axes.Left.Label.Text);
        Assert.Equal("variance / variance of p_σ, σ = 1", mp.GetPlot(1).Axes.Left.Label.Text);
        Assert.EndsWith("against the variance of p_σ, σ = 1 (axis cut at 2; the ratio reaches 2.5)", mp.GetPlot(1).Axes.Title.Label.Text);
        // Each panel draws only its own lines.
        Assert.Single(mp.GetPlot(0).GetPlottables<ScottPlot.Plottables.Scatter>());
        Assert.Single(mp.GetPlot(1).GetPlottables<ScottPlot.Plottables.Scatter>());
    }

    [Fact]
    public void Highest_density_levels_of_a_standard_gaussian_are_its_closed_form()
    {
        // N(0, I₂): {p ≥ t} is the disc of radius r with 1 − exp(−r²/2) = m, so t_m = (1 − m)/(2π).
        static double[] LogDensity(Points x) => Enumerable.Range(0, x.Count)
            .Select(i => -0.5 * (x.Data[2 * i] * x.Data[2 * i] + x.Data[2 * i + 1] * x.Data[2 * i + 1]) - Math.Log(2 * Math.PI)).ToArray();
        var (_, density, cell) = Plots.DensityGrid(LogDensity, -7, 7, -7, 7, 401);
        var levels = Plots.HighestDensityLevels(density, cell, Plots.ContourMasses);
        for (int k = 0; k < levels.Length; k++)
        {
            double exact = (1 - Plots.ContourMasses[k]) / (2 * Math.PI);
            Assert.True(Math.Abs(levels[k] - exact) < 0.01 * exact + 2e-4, $"mass {Plots.ContourMasses[k]}: level {levels[k]}, exact {exact}");
        }
        // A window that holds less than 99% of the mass has no 99% level.
        var (_, narrow, narrowCell) = Plots.DensityGrid(LogDensity, -2, 2, -2, 2, 101);
        Assert.True(double.IsNaN(Plots.HighestDensityLevels(narrow, narrowCell, [0.99])[0]));
    }

    [Fact]
    public void The_2d_scatter_draws_the_exact_densitys_contours_at_those_levels()
    {
        static double[] LogDensity(Points x) => Enumerable.Range(0, x.Count)
            .Select(i => -0.5 * (x.Data[2 * i] * x.Data[2 * i] + x.Data[2 * i + 1] * x.Data[2 * i + 1]) - Math.Log(2 * Math.PI)).ToArray();
        var sample = new Points(Enumerable.Range(0, 200).SelectMany(i => new[] { 3 * Math.Cos(i), 3 * Math.Sin(i * 1.3) }).ToArray(), 2);
        var mp = Plots.DistributionsPlot(sample, sample, sample, "start", "reconstruction", LogDensity, null, 0);
        var contours = mp.GetPlot(0).GetPlottables<ScottPlot.Plottables.ContourLines>().Single();
        Assert.NotNull(contours.ContourLineLevels);
        Assert.Equal(3, contours.ContourLineLevels!.Length);
        // Every drawn vertex lies where the exact density equals its line's level (within the grid's interpolation).
        Assert.NotEmpty(contours.Lines);
        foreach (var line in contours.Lines)
            foreach (var point in line.Path.Points)
            {
                double r2 = point.X * point.X + point.Y * point.Y;
                double p = Math.Exp(-r2 / 2) / (2 * Math.PI);
                Assert.True(Math.Abs(p - line.Z) < 0.05 * line.Z + 1e-4, $"vertex ({point.X}, {point.Y}): density {p}, line level {line.Z}");
            }
    }

    [Fact]
    public void Mode_weight_intervals_are_the_student_t_interval_over_seeds_of_the_per_seed_values()
    {
        double[] seeds = [0.48, 0.52, 0.55];
        var plot = Plots.ModeWeightsPlot(["forward-backward"], [[seeds, seeds.Select(v => 1 - v).ToArray()]], [0.5, 0.5], ["a", "b"], "weights");
        var e = Estimate.Of(seeds);
        var vertical = plot.GetPlottables<ScottPlot.Plottables.LinePlot>().Where(l => l.Start.X == l.End.X).ToArray();
        Assert.Equal(2, vertical.Length);
        var first = vertical.Single(l => l.Start.X == 0);
        Assert.Equal(e.Mean - e.HalfWidth, Math.Min(first.Start.Y, first.End.Y), 12);
        Assert.Equal(e.Mean + e.HalfWidth, Math.Max(first.Start.Y, first.End.Y), 12);
        // One dot per seed per bar, at the seed's own value.
        var dots = plot.GetPlottables<ScottPlot.Plottables.Markers>().SelectMany(m => m.Data.GetScatterPoints()).Where(c => c.X < 0.5).Select(c => c.Y).Order();
        Assert.Equal(seeds.Order(), dots);
        Assert.Contains(plot.Legend.ManualItems, i => i.LabelText == "95% Student-t interval over the 3 seeds");
    }

    [Fact]
    public void An_annealed_sampler_is_drawn_one_level_per_panel_each_on_its_own_axes()
    {
        // Three levels of 10 steps, recorded every 5 steps: the first wanders over ±60, the last stays near the data.
        var sampler = new Repro.Core.Sampling.AnnealedLangevin(20, 1, 3, 10, 0.1);
        var levels = Plots.NoiseLevels(step => sampler.MoveAt(step, 1)?.Sigma, sampler.Steps);
        Assert.Equal([(20.0, 1, 10), (sampler.NoiseLevels()[1], 11, 20), (1.0, 21, 30)], levels);
        double[] stepNumbers = [0, 5, 10, 15, 20, 25, 30];
        double[] x = [0, 60, -60, 10, -10, 1, 2];
        var records = x.Select(v => new Points([v, -v], 2)).ToArray();
        var background = new Points([-3.0, -3.0, 3.0, 3.0], 2);
        var mp = Plots.TrajectoryLevelsPlot(stepNumbers, records, background, levels, "annealed");

        Assert.Equal(3, mp.GetPlots().Length);
        // Each panel draws its own level's records (its start record included) and nothing else.
        double[][] expected = [[0, 60, -60], [-60, 10, -10], [-10, 1, 2]];
        for (int l = 0; l < 3; l++)
        {
            var path = mp.GetPlot(l).GetPlottables<ScottPlot.Plottables.Scatter>().Single();
            Assert.Equal(expected[l], path.Data.GetScatterPoints().Select(c => c.X));
        }
        // The last level's axes span its own data (±10 and the p₀ sample), not the first level's ±60.
        var last = mp.GetPlot(2);
        last.Axes.AutoScale();
        Assert.InRange(last.Axes.Bottom.Range.Max, 3, 15);
        Assert.InRange(last.Axes.Bottom.Range.Min, -15, -3);
        Assert.StartsWith("σ = 1, steps 21–30", last.Axes.Title.Label.Text);
    }

    [Fact]
    public void Every_annealed_panel_title_fits_its_panel()
    {
        // The first panel also carries the figure's title, which was clipped at the panel's edge.
        var sampler = new Repro.Core.Sampling.AnnealedLangevin(20, 1, 3, 10, 0.1);
        var levels = Plots.NoiseLevels(step => sampler.MoveAt(step, 1)?.Sigma, sampler.Steps);
        var records = Enumerable.Range(0, 7).Select(i => new Points([i, -i], 2)).ToArray();
        const string title = "annealed-langevin: 20 tracked particles, a long reconstruction name";
        var mp = Plots.TrajectoryLevelsPlot([0, 5, 10, 15, 20, 25, 30], records, null, levels, title);

        using var paint = ScottPlot.Paint.NewDisposablePaint();
        foreach (var plot in mp.GetPlots())
        {
            var label = plot.Axes.Title.Label;
            Assert.True(label.Measure(paint).Width <= Plots.TitleWidth(Plots.TrajectoryPanelWidth),
                $"title '{label.Text}' is {label.Measure(paint).Width} px wide in a {Plots.TrajectoryPanelWidth} px panel");
        }
        // Nothing is lost by the wrapping: the words are those of the title and the level's head.
        string first = mp.GetPlot(0).Axes.Title.Label.Text;
        Assert.Equal(title + " σ = 20, steps 1–10", first.Replace('\n', ' '));
    }

    [Fact]
    public void The_loss_floor_legend_counts_the_noised_coordinates_of_a_zero_centre_of_mass_target()
    {
        string experiments = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments");
        var cloud = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(experiments, "egnn-3d-centred-cloud.json"));
        var blobs = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(experiments, "dsm-2d-two-blobs.json"));
        // 4 points in R³ with zero centre of mass: the projected noise has f = 3·3 = 9 of d = 12 coordinates.
        Assert.Equal("(f/σ² − J(p_σ))/d with f = (K − 1)·m = 9, d = 12", Plots.LossFloorFormula(cloud.Data, cloud.Training!.Objective));
        Assert.Equal("(d/σ² − J(p_σ))/d", Plots.LossFloorFormula(blobs.Data, blobs.Training!.Objective));
        // The centred Gaussian cloud of variance 1 at σ = 0.5: p_σ has variance 1.25 on the f coordinates, J = f/1.25,
        // so the floor is 9·(4 − 0.8)/12 = 2.4, which the d-counting formula (12·4 − 7.2)/12 = 3.4 would not give.
        var mp = Plots.LossPlot([(1, [2.5, 2.45, 2.41], [1e-3, 1e-3, 1e-3])], 2.4, "t", Plots.LossFloorFormula(cloud.Data, cloud.Training!.Objective));
        Assert.Contains(mp.GetPlot(0).GetPlottables<ScottPlot.Plottables.HorizontalLine>(), l => l.LegendText == "floor = 2.400: (f/σ² − J(p_σ))/d with f = (K − 1)·m = 9, d = 12");
    }

    [Fact]
    public void A_schedule_objective_s_loss_is_titled_and_floored_over_its_levels_not_at_one_sigma()
    {
        string experiments = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments");
        var diffusion = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(experiments, "dsm-2d-two-blobs-diffusion.json"));
        var objective = diffusion.Training!.Objective;
        Assert.Equal("dsm-2d-two-blobs-diffusion: DSM over the VE levels σ̃ = 0.01 to 20", Plots.LossTitle(diffusion.Name, objective));
        Assert.Equal("E_σ̃[λ(σ̃)(d/σ̃² − J(p_σ̃))]/d", Plots.LossFloorFormula(diffusion.Data, objective));
        var blobs = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(experiments, "dsm-2d-two-blobs.json"));
        Assert.Equal("dsm-2d-two-blobs: DSM loss at σ = 1.25", Plots.LossTitle(blobs.Name, blobs.Training!.Objective));
        // The long title fits the loss panel (it was clipped at the panel's edge).
        var mp = Plots.LossPlot([(1, [0.7, 0.66, 0.65], [1e-3, 1e-3, 1e-3])], 0.649, Plots.LossTitle(diffusion.Name, objective));
        var label = mp.GetPlot(0).Axes.Title.Label;
        using var paint = ScottPlot.Paint.NewDisposablePaint();
        Assert.True(label.Measure(paint).Width <= Plots.TitleWidth(Plots.LossPanelWidth), $"'{label.Text}' is {label.Measure(paint).Width} px wide");
    }

    [Fact]
    public void Every_distributions_panel_title_fits_its_panel()
    {
        // A long reconstruction name and sampler description ran past the right panel's edge and was clipped.
        const string title = "predictor-corrector-every-level: learned score, predictor-corrector, VE σ 20 → 0.01, 250 steps";
        var reference = new Points([0, 0, 1, 1, -1, 0.5], 2);
        var mp = Plots.DistributionsPlot(reference, reference, reference, "start: gaussian", title, null, null, 0);

        using var paint = ScottPlot.Paint.NewDisposablePaint();
        foreach (var plot in mp.GetPlots())
        {
            var label = plot.Axes.Title.Label;
            Assert.True(label.Measure(paint).Width <= Plots.TitleWidth(Plots.DistributionsPanelWidth),
                $"title '{label.Text}' is {label.Measure(paint).Width} px wide in a {Plots.DistributionsPanelWidth} px panel");
        }
        // Wrapped, not cut: the words are the title's.
        Assert.Equal(title, mp.GetPlot(2).Axes.Title.Label.Text.Replace('\n', ' '));
    }
}
