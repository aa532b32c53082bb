using System.Globalization;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Reporting.Model;
using Repro.Results;
using ScottPlot;

namespace Repro.Reporting;

/// <summary>
/// Sample quality against the number of score evaluations (<see cref="StepLadderMetric"/>): for every reconstruction
/// with a <c>stepLadder</c>, the KS distance of its samples to the law it aims at at each rung, on log–log axes, the
/// learned score solid and the exact score dashed in one colour per sampler, beside the KS distance of a fresh exact
/// sample of the same size (what indistinguishable looks like).
/// </summary>
public static class StepLadderFigure
{
    /// <summary>One line of the figure: a reconstruction's rungs, mean over seeds with its 95% interval.</summary>
    /// <param name="Name">The reconstruction.</param>
    /// <param name="Sampler">Its sampler kind (the colour).</param>
    /// <param name="Exact">True for the exact score (dashed).</param>
    /// <param name="Evaluations">Score evaluations per particle at each rung (increasing).</param>
    /// <param name="Ks">KS distance at each rung over the seeds.</param>
    public sealed record Series(string Name, string Sampler, bool Exact, double[] Evaluations, Estimate[] Ks);

    /// <summary>The lines of <paramref name="results"/>: every reconstruction with a ladder and rows for it.</summary>
    public static IReadOnlyList<Series> Collect(ExperimentResults results)
    {
        var d = results.Definition;
        var lines = new List<Series>();
        foreach (var rec in d.Reconstructions.Where(r => r.StepLadder.Count > 0))
        {
            string aimed = Aimed(d, rec);
            int rungs = rec.StepLadder.Count + 1;
            var evaluations = new double[rungs];
            var ks = new Estimate[rungs];
            bool complete = true;
            for (int k = 0; k < rungs; k++)
            {
                var counts = results.Values(rec.Name, aimed, StepLadderMetric.Evaluations.Format(k + 1));
                ks[k] = results.Estimate(rec.Name, aimed, StepLadderMetric.Distance.Format(k + 1));
                if (counts.Length == 0 || ks[k].Count == 0) { complete = false; break; }
                evaluations[k] = counts[0];
            }
            if (complete)
                lines.Add(new Series(rec.Name, rec.Sampler.KindName, rec.Score.Source == ScoreSourceDefinition.Exact, evaluations, ks));
        }
        return lines;
    }

    /// <summary>The reference label of the law <paramref name="rec"/> aims at: p0 when it ends at σ = 0, else p-sigma.</summary>
    internal static string Aimed(ExperimentDefinition d, ReconstructionDefinition rec) =>
        rec.Sampler.TargetSigma(d.ScoreSigma(rec.Score)) == 0 ? GateDefinition.P0 : GateDefinition.PSigma;

    /// <summary>Adds the section (heading, figure, table) to <paramref name="blocks"/> when any reconstruction has a ladder.</summary>
    public static void Section(ExperimentResults results, string figures, List<Block> blocks)
    {
        var lines = Collect(results);
        if (lines.Count == 0) return;
        var d = results.Definition;
        var first = d.Reconstructions.First(r => r.Name == lines[0].Name);
        var nullKs = results.Estimate(first.Name, "null-" + Aimed(d, first), MetricNames.KsStatistic);
        var finished = results.Runs.Where(r => r.Finished).Select(r => r.Seed).ToArray();
        Save(Plot(lines, nullKs.Mean, d.Name), Path.Combine(figures, "quality-vs-evaluations.png"));
        blocks.Add(new Heading(2, "Sample quality against score evaluations"));
        blocks.Add(new Figure("figures/quality-vs-evaluations.png", "quality against evaluations",
            $"Every seed ({string.Join(", ", finished)}): each schedule sampler with a `stepLadder`, re-run on coarser grids from the same start with the same noise keys; the largest per-coordinate KS distance of its samples to the law it aims at, against score evaluations per particle, both axes logarithmic; mean over the seeds with its 95% interval (vertical bars), learned score solid, exact score dashed, one colour per sampler. The dotted line is the KS distance of a fresh exact sample of the same size ({nullKs.Format("F3")}): a line that reaches it is as close as the sample size can tell."));
        var rows = lines.Select(l => (IReadOnlyList<string>)[l.Name, l.Exact ? "exact" : "learned",
            string.Join(", ", l.Evaluations.Select(e => e.ToString("F0", CultureInfo.InvariantCulture))),
            string.Join(", ", l.Ks.Select(k => k.Mean.ToString("F3", CultureInfo.InvariantCulture)))]).ToList();
        blocks.Add(new Model.Table(["reconstruction", "score", "evaluations per particle", "KS distance (mean over seeds)"], rows,
            "The same numbers: rung by rung, the last being the reconstruction itself."));
    }

    /// <summary>The figure: log10 of evaluations against log10 of the KS distance, with decade ticks labelled in the data's units.</summary>
    internal static Plot Plot(IReadOnlyList<Series> lines, double nullKs, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var samplers = lines.Select(l => l.Sampler).Distinct().ToList();
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = Math.Log10(Math.Max(nullKs, 1e-3)), yMax = yMin;
        foreach (var line in lines)
        {
            var color = palette.GetColor(samplers.IndexOf(line.Sampler));
            double[] x = line.Evaluations.Select(Math.Log10).ToArray();
            double[] y = line.Ks.Select(k => Math.Log10(k.Mean)).ToArray();
            var scatter = plot.Add.ScatterLine(x, y, color);
            scatter.LineWidth = 2;
            scatter.MarkerShape = MarkerShape.FilledCircle;
            scatter.MarkerSize = 6;
            scatter.LinePattern = line.Exact ? LinePattern.Dashed : LinePattern.Solid;
            scatter.LegendText = $"{line.Name} ({(line.Exact ? "exact" : "learned")} score)";
            for (int k = 0; k < x.Length; k++)
            {
                var e = line.Ks[k];
                if (!double.IsFinite(e.HalfWidth) || e.Mean - e.HalfWidth <= 0) continue;
                var bar = plot.Add.Line(x[k], Math.Log10(e.Mean - e.HalfWidth), x[k], Math.Log10(e.Mean + e.HalfWidth));
                bar.Color = color;
                bar.LineWidth = 1.5f;
            }
            xMin = Math.Min(xMin, x.Min());
            xMax = Math.Max(xMax, x.Max());
            yMin = Math.Min(yMin, y.Min());
            yMax = Math.Max(yMax, y.Max());
        }
        var floor = plot.Add.HorizontalLine(Math.Log10(nullKs));
        floor.Color = Colors.Gray;
        floor.LinePattern = LinePattern.Dotted;
        floor.LineWidth = 2;
        floor.LegendText = $"fresh exact sample: {nullKs.ToString("F3", CultureInfo.InvariantCulture)}";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(LogTicks(xMin, xMax, [1, 2, 5]).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(LogTicks(yMin, yMax, [1, 2, 5]).ToArray());
        plot.Axes.SetLimits(xMin - 0.1, xMax + 0.1, yMin - 0.1, yMax + 0.1);
        plot.Title($"{title}: sample quality against score evaluations");
        plot.XLabel("score evaluations per particle (log scale)");
        plot.YLabel("KS distance to the aimed-at law (log scale)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Ticks at m·10^e (m in <paramref name="mantissas"/>) between 10^lo and 10^hi, placed at their log10, labelled in the data's units.</summary>
    internal static IEnumerable<Tick> LogTicks(double lo, double hi, double[] mantissas)
    {
        for (int e = (int)Math.Floor(lo) - 1; e <= (int)Math.Ceiling(hi) + 1; e++)
            foreach (double m in mantissas)
            {
                double v = m * Math.Pow(10, e), at = Math.Log10(v);
                if (at < lo - 0.1 || at > hi + 0.1) continue;
                yield return new Tick(at, v.ToString("G4", CultureInfo.InvariantCulture), m == 1);
            }
    }

    static void Save(Plot plot, string path) =>
        AtomicFile.Write(path, s => s.Write(plot.GetImageBytes(1100, 550, ImageFormat.Png)));
}
