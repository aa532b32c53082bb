using Repro.Core.Numerics;
using Repro.Results;
using ScottPlot;

namespace Repro.Reporting;

/// <summary>
/// The report's figures, drawn with ScottPlot 5 and written atomically as PNG. Every function
/// takes plain numbers (results already on disk) and never trains or samples.
/// </summary>
public static class Plots
{
    const int Width = 1200, Height = 400;

    static readonly Color Data = Colors.SteelBlue, Model = Colors.OrangeRed, Truth0 = Colors.Black, TruthSigma = Colors.ForestGreen;

    /// <summary>Training loss (raw and smoothed) with the DSM loss floor, and the learning rate, one panel each.</summary>
    public static void Loss(string path, IReadOnlyList<double> loss, IReadOnlyList<double> rate, double floor, string title)
    {
        var mp = new Multiplot();
        mp.AddPlots(2);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var steps = Enumerable.Range(1, loss.Count).Select(i => (double)i).ToArray();
        var top = mp.GetPlot(0);
        var raw = top.Add.ScatterLine(steps, loss.ToArray());
        raw.Color = Data.WithAlpha(0.35);
        raw.LegendText = "minibatch loss";
        var smooth = top.Add.ScatterLine(steps, MovingAverage(loss, 50));
        smooth.Color = Data;
        smooth.LineWidth = 2;
        smooth.LegendText = "mean of last 50";
        var line = top.Add.HorizontalLine(floor, 2, Truth0, LinePattern.Dashed);
        line.LegendText = $"floor (d/σ² − J(p_σ))/d = {floor:F3} (per dimension, as the loss)";
        top.Title(title);
        top.XLabel("step");
        top.YLabel("DSM loss (per dimension)");
        top.ShowLegend(Alignment.UpperRight);
        double hi = Quantile(loss, 0.98);
        top.Axes.SetLimitsY(Math.Min(floor, loss.Min()) * 0.95, Math.Max(hi, floor * 1.2));

        var bottom = mp.GetPlot(1);
        var lr = bottom.Add.ScatterLine(steps, rate.Select(r => Math.Log10(r)).ToArray());
        lr.Color = Model;
        bottom.Title("learning rate (ReduceLROnPlateau)");
        bottom.XLabel("step");
        bottom.YLabel("log₁₀ learning rate");
        Save(mp, path, Width, Height);
    }

    /// <summary>
    /// The seed report's layout for one reconstruction, p₀ | x_T | p₀′: density histograms in 1D
    /// with the exact p₀ and p_σ drawn over them, scatter plots in 2D (first two coordinates).
    /// </summary>
    public static void Distributions(string path, Points reference, Points start, Points samples, string startTitle,
        string samplesTitle, Func<double, double>? density0, Func<double, double>? densitySigma, double sigma)
    {
        var mp = new Multiplot();
        mp.AddPlots(3);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var panels = new[] { (reference, "p₀ (fresh exact sample)"), (start, startTitle), (samples, samplesTitle) };
        var all = reference.Data.Concat(start.Data).Concat(samples.Data).ToArray();
        for (int p = 0; p < 3; p++)
        {
            var plot = mp.GetPlot(p);
            var (points, title) = panels[p];
            plot.Title(title);
            if (points.Dimension == 1)
            {
                double lo = Quantile(all, 0.001) - 0.5, hi = Quantile(all, 0.999) + 0.5;
                HistogramBars(plot, points.Data, lo, hi, 60, p == 1 ? Colors.Gray : p == 0 ? Data : Model);
                var xs = Grid(lo, hi, 300);
                if (density0 is not null)
                {
                    var c = plot.Add.ScatterLine(xs, xs.Select(density0).ToArray());
                    c.Color = Truth0; c.LineWidth = 2; c.LegendText = "exact p₀";
                }
                if (densitySigma is not null)
                {
                    var c = plot.Add.ScatterLine(xs, xs.Select(densitySigma).ToArray());
                    c.Color = TruthSigma; c.LineWidth = 2; c.LinePattern = LinePattern.Dashed; c.LegendText = $"exact p_σ, σ = {sigma}";
                }
                plot.XLabel("x");
                plot.YLabel("density");
                plot.ShowLegend(Alignment.UpperRight);
            }
            else
            {
                plot.Add.Markers(points.Column(0), points.Column(1), MarkerShape.FilledCircle, 2, (p == 1 ? Colors.Gray : p == 0 ? Data : Model).WithAlpha(0.5));
                plot.XLabel("x₁");
                plot.YLabel("x₂");
            }
        }
        if (reference.Dimension > 1)
        {
            var xs = all.Where((_, i) => i % reference.Dimension == 0).ToArray();
            var ys = all.Where((_, i) => i % reference.Dimension == 1).ToArray();
            double xlo = Quantile(xs, 0.002), xhi = Quantile(xs, 0.998), ylo = Quantile(ys, 0.002), yhi = Quantile(ys, 0.998);
            foreach (var plot in mp.GetPlots()) plot.Axes.SetLimits(xlo - 0.5, xhi + 0.5, ylo - 0.5, yhi + 0.5);
        }
        Save(mp, path, Width + 300, Height + 50);
    }

    /// <summary>Tracked Langevin trajectories: x against step in 1D, paths in the plane in 2D over a faint data cloud.</summary>
    public static void Trajectories(string path, IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, string title) =>
        Save(TrajectoryPlot(stepNumbers, steps, background, title), path, 800, 600);

    /// <summary>
    /// The trajectory figure: in 1D each tracked particle's position against its Langevin step (the
    /// sampler's own step numbers, not the index of the stored record), in 2D its path in the plane.
    /// </summary>
    internal static Plot TrajectoryPlot(IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, string title)
    {
        if (stepNumbers.Count != steps.Count) throw new ArgumentException($"{stepNumbers.Count} step numbers for {steps.Count} records");
        var plot = new Plot();
        plot.Title(title);
        int n = steps[0].Count, d = steps[0].Dimension;
        var palette = new ScottPlot.Palettes.Category10();
        if (d == 1)
        {
            var t = stepNumbers.ToArray();
            for (int p = 0; p < n; p++)
            {
                var line = plot.Add.ScatterLine(t, steps.Select(s => s.Data[p]).ToArray());
                line.Color = palette.GetColor(p).WithAlpha(0.8);
            }
            plot.XLabel("Langevin step");
            plot.YLabel("x");
        }
        else
        {
            if (background is not null)
                plot.Add.Markers(background.Column(0), background.Column(1), MarkerShape.FilledCircle, 2, Colors.Gray.WithAlpha(0.25));
            for (int p = 0; p < n; p++)
            {
                var line = plot.Add.ScatterLine(steps.Select(s => s.Data[p * d]).ToArray(), steps.Select(s => s.Data[p * d + 1]).ToArray());
                line.Color = palette.GetColor(p).WithAlpha(0.8);
                plot.Add.Markers(new[] { steps[0].Data[p * d] }, new[] { steps[0].Data[p * d + 1] }, MarkerShape.OpenCircle, 6, palette.GetColor(p));
                plot.Add.Markers(new[] { steps[^1].Data[p * d] }, new[] { steps[^1].Data[p * d + 1] }, MarkerShape.FilledCircle, 6, palette.GetColor(p));
            }
            plot.XLabel("x₁ (open circle: start, filled: end)");
            plot.YLabel("x₂");
        }
        return plot;
    }

    /// <summary>True when <see cref="ScoreField"/> can draw a score of dimension <paramref name="dimension"/> (1: curves; 2: arrows).</summary>
    public static bool CanDrawScoreField(int dimension) => dimension is 1 or 2;

    /// <summary>
    /// Score fields on a grid: learned s_θ, exact ∇log p_σ and ∇log p₀ as arrows (2D) or curves (1D),
    /// and the error ‖s_θ − ∇log p_σ‖ as a heat map (2D) or curve (1D).
    /// </summary>
    public static void ScoreField(string path, Points grid, Points learned, Points exactSigma, Points exact0, int gridSide, double sigma)
    {
        if (!CanDrawScoreField(grid.Dimension))
            throw new ArgumentException($"the score field draws d = 1 (curves) or d = 2 (arrows in the plane), not d = {grid.Dimension}", nameof(grid));
        if (grid.Dimension == 1)
        {
            var plot = new Plot();
            var xs = grid.Data;
            Curve(plot, xs, learned.Data, Model, "learned s_θ", LinePattern.Solid);
            Curve(plot, xs, exactSigma.Data, TruthSigma, $"exact ∇log p_σ (σ = {sigma})", LinePattern.Dashed);
            Curve(plot, xs, exact0.Data, Truth0, "exact ∇log p₀", LinePattern.Dotted);
            var err = plot.Add.ScatterLine(xs, xs.Select((_, i) => Math.Abs(learned.Data[i] - exactSigma.Data[i])).ToArray());
            err.Color = Colors.Purple; err.LegendText = "|s_θ − ∇log p_σ|";
            plot.Title("score against x");
            plot.XLabel("x");
            plot.YLabel("score");
            plot.Axes.SetLimitsY(-8, 8);
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, path, 900, 500);
            return;
        }
        var mp = new Multiplot();
        mp.AddPlots(4);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var fields = new[] { (learned, "learned s_θ", Model), (exactSigma, $"exact ∇log p_σ, σ = {sigma}", TruthSigma), (exact0, "exact ∇log p₀", Truth0) };
        // One scale for all three panels, so arrow lengths compare across them (the 2.56× between
        // ∇log p₀ and ∇log p_σ near a mode is visible): the 95th percentile of |s| over every panel
        // spans one grid cell.
        // Every other grid point in each direction, so that arrows one cell long do not overlap.
        var shown = Enumerable.Range(0, grid.Count).Where(i => i % gridSide % 2 == 0 && i / gridSide % 2 == 0).ToArray();
        Points Pick(Points p) => new(shown.SelectMany(i => new[] { p.Data[2 * i], p.Data[2 * i + 1] }).ToArray(), 2);
        double cell = 2 * Math.Min(Math.Abs(grid.Data[2] - grid.Data[0]), Math.Abs(grid.Data[2 * gridSide + 1] - grid.Data[1]));
        double scale = ArrowScale(fields.Select(f => Pick(f.Item1)).ToArray(), 0.9 * cell);
        for (int f = 0; f < 3; f++)
        {
            var (field, title, color) = fields[f];
            var plot = mp.GetPlot(f);
            AddArrows(plot, Pick(grid), Pick(field), color, scale);
            plot.Title(title);
            plot.XLabel("x₁");
            plot.YLabel("x₂");
        }
        var heat = new double[gridSide, gridSide];
        for (int i = 0; i < grid.Count; i++)
        {
            int row = i / gridSide, col = i % gridSide;
            double du = learned.Data[2 * i] - exactSigma.Data[2 * i], dv = learned.Data[2 * i + 1] - exactSigma.Data[2 * i + 1];
            heat[gridSide - 1 - row, col] = Math.Sqrt(du * du + dv * dv);
        }
        var last = mp.GetPlot(3);
        var hm = last.Add.Heatmap(heat);
        hm.Extent = new CoordinateRect(grid.Data[0], grid.Data[2 * (gridSide - 1)], grid.Data[1], grid.Data[2 * (grid.Count - 1) + 1]);
        var bar = last.Add.ColorBar(hm);
        bar.Label = "‖s_θ − ∇log p_σ‖ (units of score, 1/length)";
        last.Title("error of s_θ against ∇log p_σ");
        last.XLabel("x₁");
        last.YLabel("x₂");
        Save(mp, path, 1800, 450);
    }

    /// <summary>
    /// Draws the vector (u, v) at each point (x, y) of <paramref name="roots"/> (both n × 2, data
    /// units; non-finite vectors are skipped): the one place the report hands vectors to ScottPlot.
    /// </summary>
    internal static void AddArrows(Plot plot, Points roots, Points vectors, Color color, double scale)
    {
        // Drawn in data space: the arrow from x to x + scale·s(x), whatever the panel's size.
        foreach (var (root, tip) in ArrowSegments(roots, vectors, scale))
        {
            var arrow = plot.Add.Arrow(root, tip);
            arrow.ArrowLineColor = color;
            arrow.ArrowFillColor = color;
            arrow.ArrowLineWidth = 1.5f;
            arrow.ArrowheadLength = 5;
            arrow.ArrowheadWidth = 4;
        }
    }

    /// <summary>
    /// Data units per score unit that make the 95th percentile of |s| over every field one grid cell
    /// long: the common scale of the score-field panels.
    /// </summary>
    internal static double ArrowScale(IReadOnlyList<Points> fields, double cell)
    {
        var norms = fields.SelectMany(f => Enumerable.Range(0, f.Count).Select(i => Math.Sqrt(f.Data[2 * i] * f.Data[2 * i] + f.Data[2 * i + 1] * f.Data[2 * i + 1])))
            .Where(double.IsFinite).Order().ToArray();
        double q = norms.Length == 0 ? 1 : norms[(int)(0.95 * (norms.Length - 1))];
        return q > 0 ? cell / q : 1;
    }

    /// <summary>The (root, tip) of each finite vector at <paramref name="scale"/> data units per score unit.</summary>
    internal static IEnumerable<(Coordinates Root, Coordinates Tip)> ArrowSegments(Points roots, Points vectors, double scale)
    {
        for (int i = 0; i < roots.Count; i++)
        {
            double u = vectors.Data[2 * i], v = vectors.Data[2 * i + 1];
            if (!double.IsFinite(u) || !double.IsFinite(v) || (u == 0 && v == 0)) continue;
            double x = roots.Data[2 * i], y = roots.Data[2 * i + 1];
            yield return (new Coordinates(x, y), new Coordinates(x + scale * u, y + scale * v));
        }
    }

    /// <summary>Arrows auto-scaled by ScottPlot's vector field (one arrow per point, lengths relative within the call).</summary>
    internal static void AddArrows(Plot plot, Points roots, Points vectors, Color color)
    {
        var rooted = new List<RootedCoordinateVector>();
        for (int i = 0; i < roots.Count; i++)
        {
            double u = vectors.Data[2 * i], v = vectors.Data[2 * i + 1];
            if (!double.IsFinite(u) || !double.IsFinite(v)) continue;
            // ScottPlot 5 (5.1.59) draws a VectorField vector in pixel space, where y grows downward,
            // so (0, 1) points down on the page (ScottPlot issue #5172, open): hand it −v so the arrow
            // points up the y axis as the data's vector does.
            rooted.Add(new RootedCoordinateVector(new Coordinates(roots.Data[2 * i], roots.Data[2 * i + 1]),
                new System.Numerics.Vector2((float)u, (float)-v)));
        }
        plot.Add.VectorField(rooted, color);
    }

    /// <summary>Score error against distance from the nearest data mode: where the network is trusted.</summary>
    public static void ScoreErrorByDistance(string path, double[] distance, double[] error, string title,
        string xLabel = "distance from the data (to the nearest training point)")
    {
        var plot = new Plot();
        plot.Add.Markers(distance, error, MarkerShape.FilledCircle, 3, Model.WithAlpha(0.4));
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("‖s_θ − ∇log p_σ‖");
        Save(plot, path, 800, 500);
    }

    /// <summary>
    /// Mode-weight bars per reconstruction: the mean responsibility of each component (whose expectation
    /// under the law is exactly its weight) with its 95% interval, the true weights as dashed lines, and a
    /// legend naming each component and its weight.
    /// </summary>
    public static void ModeWeights(string path, IReadOnlyList<string> groups, IReadOnlyList<double[]> weights,
        IReadOnlyList<double[]> lower, IReadOnlyList<double[]> upper, IReadOnlyList<double> truth, IReadOnlyList<string> components, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int k = truth.Count;
        var ticks = new List<Tick>();
        for (int g = 0; g < groups.Count; g++)
        {
            for (int c = 0; c < k; c++)
            {
                double x = g * (k + 1) + c;
                var bar = plot.Add.Bar(x, weights[g][c], 0);
                bar.Color = palette.GetColor(c);
                var interval = plot.Add.Line(x, lower[g][c], x, upper[g][c]);
                interval.Color = Colors.Black;
                interval.LineWidth = 3;
                var t = plot.Add.Line(x - 0.45, truth[c], x + 0.45, truth[c]);
                t.Color = Colors.Black;
                t.LinePattern = LinePattern.Dashed;
                t.LineWidth = 2;
            }
            ticks.Add(new Tick(g * (k + 1) + (k - 1) / 2.0, groups[g]));
        }
        for (int c = 0; c < k; c++)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c + 1}: {components[c]}, w = {truth[c]:G4}"),
                FillColor = palette.GetColor(c),
            });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "true weight", LineColor = Colors.Black, LinePattern = LinePattern.Dashed, LineWidth = 2 });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimitsY(0, 1.3);
        plot.Title(title);
        plot.YLabel("mean responsibility (dashed: true weight)");
        Save(plot, path, 900, 500);
    }

    /// <summary>One line of the variance-by-step figure: a reconstruction's coordinate (or −1 for the mean over coordinates).</summary>
    public sealed record VarianceSeries(string Reconstruction, int Coordinate, string Label, double[] Steps, double[] Ratio);

    /// <summary>A reference level of the variance-by-step figure: p₀'s variance over p_σ's for one coordinate (−1: their mean).</summary>
    public sealed record VarianceLevel(int Coordinate, string Label, double Level);

    /// <summary>How a line is drawn; two lines that share all three cannot be told apart.</summary>
    public readonly record struct LineStyle(Color Color, LinePattern Pattern, float Width);

    /// <summary>Coordinate k's dash pattern; coordinates beyond these are not drawn one by one (see <see cref="VarianceByStepStyles"/>).</summary>
    public static readonly LinePattern[] CoordinatePatterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>
    /// The style of every line of the variance-by-step figure, series first, then p_σ's level, then p₀'s levels:
    /// a reconstruction is a colour (Category10 without its grey, then evenly spaced hues), a coordinate a dash
    /// pattern, so any number of series stays distinguishable; p_σ's level is thick solid black, p₀'s levels
    /// thin dim grey, each in its coordinate's pattern.
    /// </summary>
    public static IReadOnlyList<LineStyle> VarianceByStepStyles(IReadOnlyList<VarianceSeries> lines, IReadOnlyList<VarianceLevel> levels)
    {
        var reconstructions = lines.Select(l => l.Reconstruction).Distinct().ToList();
        var category10 = new ScottPlot.Palettes.Category10();
        // Category10's eighth colour is grey, too close to p₀'s grey levels.
        var palette = Enumerable.Range(0, 10).Where(i => i != 7).Select(i => category10.GetColor(i)).ToList();
        Color ColorOf(int r) => r < palette.Count ? palette[r] : Color.FromHSL((float)((r - palette.Count) * 0.618034 % 1.0), 0.75f, 0.4f);
        LinePattern PatternOf(int coordinate) => coordinate < 0 ? LinePattern.Solid : CoordinatePatterns[coordinate % CoordinatePatterns.Length];
        var styles = lines.Select(l => new LineStyle(ColorOf(reconstructions.IndexOf(l.Reconstruction)), PatternOf(l.Coordinate), 2f)).ToList();
        styles.Add(new LineStyle(Colors.Black, LinePattern.Solid, 3f));
        styles.AddRange(levels.Select(l => new LineStyle(Colors.DimGray, PatternOf(l.Coordinate), 1.5f)));
        return styles;
    }

    /// <summary>
    /// The particles' per-coordinate variance over p_σ's against the Langevin step, one line per series, with
    /// p_σ's level (1) and p₀'s levels; the legend sits right of the axes, outside the data.
    /// </summary>
    public static void VarianceByStep(string path, IReadOnlyList<VarianceSeries> lines, IReadOnlyList<VarianceLevel> levels, string title) =>
        Save(VarianceByStepPlot(lines, levels, title), path, 1100, 500);

    /// <summary>The figure of <see cref="VarianceByStep"/> as a plot (tests render it and read its pixels).</summary>
    internal static Plot VarianceByStepPlot(IReadOnlyList<VarianceSeries> lines, IReadOnlyList<VarianceLevel> levels, string title)
    {
        var plot = new Plot();
        var styles = VarianceByStepStyles(lines, levels);
        for (int i = 0; i < lines.Count; i++)
        {
            var c = plot.Add.ScatterLine(lines[i].Steps, lines[i].Ratio);
            (c.Color, c.LinePattern, c.LineWidth, c.LegendText) = (styles[i].Color, styles[i].Pattern, styles[i].Width, lines[i].Label);
        }
        var one = plot.Add.HorizontalLine(1, styles[lines.Count].Width, styles[lines.Count].Color, styles[lines.Count].Pattern);
        one.LegendText = "p_σ (ratio 1)";
        for (int j = 0; j < levels.Count; j++)
        {
            var style = styles[lines.Count + 1 + j];
            var l = plot.Add.HorizontalLine(levels[j].Level, style.Width, style.Color, style.Pattern);
            l.LegendText = levels[j].Label;
        }
        plot.Title(title);
        plot.XLabel("Langevin step");
        plot.YLabel("variance / variance of p_σ (axis cut at 2)");
        plot.Axes.SetLimitsY(0, 2);
        // Outside the axes: with a dozen lines a legend inside covers the curves it names.
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    static void Curve(Plot plot, double[] xs, double[] ys, Color color, string label, LinePattern pattern)
    {
        var c = plot.Add.ScatterLine(xs, ys);
        c.Color = color;
        c.LineWidth = 2;
        c.LinePattern = pattern;
        c.LegendText = label;
    }

    static void HistogramBars(Plot plot, double[] values, double lo, double hi, int bins, Color color)
    {
        double width = (hi - lo) / bins;
        var counts = new double[bins];
        foreach (double v in values)
        {
            int b = (int)Math.Floor((v - lo) / width);
            if (b >= 0 && b < bins) counts[b]++;
        }
        var bars = new List<Bar>();
        for (int b = 0; b < bins; b++)
            bars.Add(new Bar { Position = lo + (b + 0.5) * width, Value = counts[b] / (values.Length * width), Size = width, FillColor = color.WithAlpha(0.6), LineWidth = 0 });
        plot.Add.Bars(bars);
    }

    static double[] Grid(double lo, double hi, int n) => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

    static double[] MovingAverage(IReadOnlyList<double> x, int k)
    {
        var m = new double[x.Count];
        double sum = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sum += x[i];
            if (i >= k) sum -= x[i - k];
            m[i] = sum / Math.Min(i + 1, k);
        }
        return m;
    }

    static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return 0;
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }

    static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, s => s.Write(plot.GetImageBytes(width, height, ImageFormat.Png)));

    static void Save(Multiplot mp, string path, int width, int height)
    {
        string tmp = path + $".{Environment.ProcessId}.png";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        mp.SavePng(tmp, width, height);
        File.Move(tmp, path, overwrite: true);
    }
}
