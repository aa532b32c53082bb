using System.Globalization;
using System.Text.Json.Nodes;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Results;
using ScottPlot;

namespace Repro.Reporting.Tests;

/// <summary>
/// The score error against σ (<c>score-error-sigma.png</c>): every seed drawn at its metrics.csv values on the metric's own
/// σ grid, on logarithmic axes, with the mean over seeds and its Student-t interval, the zero score's level e = 1, and a
/// caption that counts the seeds the figure draws.
/// </summary>
public sealed class ScoreErrorProfileFigureTests : IDisposable
{
    const string Experiment = "dsm-2d-two-blobs-diffusion";
    readonly string _dir = Directory.CreateTempSubdirectory("repro-profile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static IReadOnlyList<double> Grid => ScoreErrorProfileMetric.Grid;

    /// <summary>Three seeds' e(σ): decades apart across the grid, seed 2 missing level 4, and at level 1 a spread whose interval reaches below 0.</summary>
    static Plots.ScoreErrorSeries[] ThreeSeeds() =>
    [
        new(1, Grid.Select((s, k) => k == 0 ? 14.0 : 0.2 * Math.Pow(10, -0.3 * k)).ToArray()),
        new(2, Grid.Select((s, k) => k == 0 ? 7.6 : k == 3 ? double.NaN : 0.3 * Math.Pow(10, -0.3 * k)).ToArray()),
        new(3, Grid.Select((s, k) => k == 0 ? 1.1 : 0.25 * Math.Pow(10, -0.3 * k)).ToArray()),
    ];

    static (double X, double Y)[] Points(ScottPlot.Plottables.Scatter scatter) =>
        scatter.Data.GetScatterPoints().Select(c => (c.X, c.Y)).ToArray();

    [Fact]
    public void Each_seed_is_drawn_at_its_values_on_the_metric_grid_in_log10_of_both_coordinates()
    {
        var seeds = ThreeSeeds();

        var plot = Plots.ScoreErrorProfilePlot(Grid, seeds, "t");

        var scatters = plot.GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        foreach (var seed in seeds)
        {
            var drawn = Points(scatters.Single(s => s.LegendText == $"seed {seed.Seed}"));
            var expected = Enumerable.Range(0, Grid.Count).Where(k => double.IsFinite(seed.Error[k]))
                .Select(k => (Math.Log10(Grid[k]), Math.Log10(seed.Error[k]))).ToArray();
            Assert.Equal(expected.Length, drawn.Length);
            for (int i = 0; i < drawn.Length; i++)
            {
                Assert.Equal(expected[i].Item1, drawn[i].X, 12);
                Assert.Equal(expected[i].Item2, drawn[i].Y, 12);
            }
        }
        // The mean over the seeds that have the level (two at level 4).
        var mean = Points(scatters.Single(s => s.LegendText == "mean over the 3 seeds"));
        Assert.Equal(Grid.Count, mean.Length);
        for (int k = 0; k < Grid.Count; k++)
        {
            var values = seeds.Select(s => s.Error[k]).Where(double.IsFinite).ToArray();
            Assert.Equal(Math.Log10(values.Sum() / values.Length), mean[k].Y, 12);
        }
        // e = 1, what the zero score gives, is the dashed line at log10(1) = 0.
        var one = Assert.Single(plot.GetPlottables<ScottPlot.Plottables.HorizontalLine>());
        Assert.Equal(0, one.Y);
        Assert.Equal(LinePattern.Dashed, one.LinePattern);
    }

    [Fact]
    public void The_band_is_the_student_t_interval_of_the_mean_over_seeds_clipped_at_the_axis_bottom()
    {
        var seeds = ThreeSeeds();
        double bottom = Plots.ScoreErrorAxisBottom(seeds);
        // SciPy: stats.t.ppf(0.975, 2) and stats.t.ppf(0.975, 1).
        const double t2 = 4.302652729911275, t1 = 12.706204736174707;

        var (x, lower, upper) = Plots.ScoreErrorInterval(Grid, seeds, bottom);

        Assert.Equal(Grid.Select(Math.Log10), x);
        for (int k = 0; k < Grid.Count; k++)
        {
            var v = seeds.Select(s => s.Error[k]).Where(double.IsFinite).ToArray();
            double m = v.Average(), sd = Math.Sqrt(v.Sum(e => (e - m) * (e - m)) / (v.Length - 1));
            double half = (v.Length == 3 ? t2 : t1) * sd / Math.Sqrt(v.Length);
            Assert.Equal(Math.Log10(m + half), upper[k], 10);
            Assert.Equal(m - half > 0 ? Math.Max(bottom, Math.Log10(m - half)) : bottom, lower[k], 10);
        }
        // Level 1 (14, 7.6, 1.1): the interval reaches below 0 and is drawn to the bottom of the axis.
        Assert.Equal(bottom, lower[0]);
        Assert.True(bottom < Math.Log10(seeds.SelectMany(s => s.Error).Where(double.IsFinite).Min()), "the axis shows every value");
    }

    [Fact]
    public void Both_axes_are_logarithmic_sigma_ticks_at_the_grid_and_error_ticks_at_whole_decades()
    {
        var plot = Plots.ScoreErrorProfilePlot(Grid, ThreeSeeds(), "t");
        plot.GetImageBytes(1250, 560, ImageFormat.Png);

        var sigmaTicks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal(Grid.Count, sigmaTicks.Length);
        foreach (var tick in sigmaTicks)
            Assert.Equal(Math.Log10(double.Parse(tick.Label, CultureInfo.InvariantCulture)), tick.Position, 12);
        Assert.Equal(Grid, sigmaTicks.Select(t => double.Parse(t.Label, CultureInfo.InvariantCulture)));

        var errorTicks = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.True(errorTicks.Length >= 4, $"{errorTicks.Length} decades labelled");
        foreach (var tick in errorTicks)
        {
            Assert.Equal(Math.Round(tick.Position), tick.Position, 12);
            Assert.Equal(Math.Pow(10, tick.Position), double.Parse(tick.Label, CultureInfo.InvariantCulture), 1e-9 * Math.Pow(10, tick.Position));
        }
    }

    [Fact]
    public void The_page_draws_the_metrics_csv_values_of_every_seed_and_its_caption_counts_them()
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var definition = ExperimentDefinition.LoadAll(Path.Combine(root, "experiments")).Single(d => d.Name == Experiment);
        var layout = new ResultsLayout(_dir, Quick: false);
        // The committed results of the experiment, read as current for today's definition.
        string from = Path.Combine(root, "reports", Experiment);
        foreach (long seed in definition.Seeds)
        {
            string source = Path.Combine(from, $"seed-{seed}"), target = layout.SeedFolder(Experiment, seed);
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source))
                if (!file.EndsWith("weights.bin", StringComparison.Ordinal)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            string run = Path.Combine(target, "run.json");
            var node = JsonNode.Parse(File.ReadAllText(run))!;
            node["DefinitionHash"] = definition.Hash;
            File.WriteAllText(run, node.ToJsonString());
        }
        // Seed 2's level 5 planted, so the figure's data cannot be a copy of anything but the file.
        string planted = Path.Combine(layout.SeedFolder(Experiment, 2), "metrics.csv");
        string level5 = ScoreErrorProfileMetric.AtLevel.Format(5);
        MetricsCsv.Write(planted, MetricsCsv.Read(planted).Select(r => r.Metric == level5 ? r with { Value = 0.4321 } : r).ToArray());

        var results = ExperimentResults.Load(definition, layout);
        var series = ExperimentPage.ScoreErrorProfileSeries(results);

        Assert.Equal(definition.Seeds, series.Select(s => s.Seed));
        foreach (var s in series)
        {
            var rows = MetricsCsv.Read(Path.Combine(layout.SeedFolder(Experiment, s.Seed), "metrics.csv"))
                .Where(r => r.Reconstruction == MetricNames.TrainingReconstruction && r.Reference == GateDefinition.P0).ToDictionary(r => r.Metric, r => r.Value);
            Assert.Equal(Enumerable.Range(1, Grid.Count).Select(k => rows[ScoreErrorProfileMetric.AtLevel.Format(k)]), s.Error);
        }
        Assert.Equal(0.4321, series.Single(s => s.Seed == 2).Error[4]);

        var page = ExperimentPage.Build(results);
        Assert.True(File.Exists(Path.Combine(results.Folder, "figures", "score-error-sigma.png")));
        string caption = page.Blocks.OfType<Model.Figure>().Single(f => f.RelativePath == "figures/score-error-sigma.png").Caption;
        Assert.Equal(ExperimentPage.ScoreErrorProfileCaption(series), caption);
        Assert.StartsWith("Every seed (1, 2, 3):", caption);
        Assert.Contains($"their mean over the {definition.Seeds.Count} seeds", caption);
        Assert.Contains($"the {Grid.Count} levels σ = 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20", caption);

        // With one seed there is no mean to draw and no interval, and the caption says so.
        var one = Plots.ScoreErrorProfilePlot(Grid, [series[0]], "t");
        Assert.DoesNotContain(one.GetPlottables<ScottPlot.Plottables.Scatter>(), s => s.LegendText.StartsWith("mean", StringComparison.Ordinal));
        Assert.Empty(one.GetPlottables<ScottPlot.Plottables.FillY>());
        Assert.Contains("one seed has no interval", ExperimentPage.ScoreErrorProfileCaption([series[0]]));
    }
}
