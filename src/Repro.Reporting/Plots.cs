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

    /// <summary>
    /// Training loss with the DSM loss floor, and the learning rate, one panel each: every seed's 50-step mean
    /// (the first seed's raw minibatch loss faint behind), legends outside the data.
    /// </summary>
    /// <param name="floorFormula">The floor as a formula for the legend, e.g. <c>(d/σ² − J(p_σ))/d</c> (see <see cref="LossFloorFormula"/>).</param>
    public static void Loss(string path, IReadOnlyList<(long Seed, IReadOnlyList<double> Loss, IReadOnlyList<double> Rate)> seeds, double floor, string title,
        string floorFormula = "(d/σ² − J(p_σ))/d") =>
        Save(LossPlot(seeds, floor, title, floorFormula), path, Width, Height);

    /// <summary>
    /// The DSM loss floor per dimension as a formula for <paramref name="data"/> trained by <paramref name="objective"/>:
    /// <c>(d/σ² − J(p_σ))/d</c> for DSM at one σ, <c>E_σ̃[λ(σ̃)(d/σ̃² − J(p_σ̃))]/d</c> for DSM over a schedule's levels
    /// (<see cref="Repro.Core.Definitions.ScheduleDsmObjective"/>); on a zero-centre-of-mass target, whose noise is
    /// projected onto f = (K − 1)·m of the d = K·m coordinates, f replaces d in the numerator
    /// (<see cref="Repro.Core.Targets.LossFloor"/>).
    /// </summary>
    public static string LossFloorFormula(Repro.Core.Definitions.DataDefinition data, Repro.Core.Definitions.ObjectiveDefinition objective)
    {
        bool projected = data.OnSubspace && data.Particles is not null;
        string n = projected ? "f" : "d";
        string formula = objective is Repro.Core.Definitions.ScheduleDsmObjective
            ? $"E_σ̃[λ(σ̃)({n}/σ̃² − J(p_σ̃))]/d"
            : $"({n}/σ² − J(p_σ))/d";
        return projected && data.Particles is { } p ? $"{formula} with f = (K − 1)·m = {(p.Count - 1) * p.Space}, d = {data.Dimension}" : formula;
    }

    /// <summary>The loss figure's title: DSM at σ, or DSM over a schedule's levels (their range, or EDM's log-normal law).</summary>
    public static string LossTitle(string name, Repro.Core.Definitions.ObjectiveDefinition objective) => objective switch
    {
        Repro.Core.Definitions.ScheduleDsmObjective { Levels: Repro.Core.Definitions.ScheduleDsmObjective.LogNormal } s =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: DSM over levels ln σ̃ ~ N({s.PMean:G3}, {s.PStd:G3}²)"),
        Repro.Core.Definitions.ScheduleDsmObjective s =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: DSM over the {s.Schedule.KindName.ToUpperInvariant()} levels σ̃ = {s.Level(0):G3} to {s.Level(1):G3}"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: DSM loss at σ = {objective.Sigma}"),
    };
    /// <summary>The loss figure of <see cref="Loss"/>.</summary>
    internal static Multiplot LossPlot(IReadOnlyList<(long Seed, IReadOnlyList<double> Loss, IReadOnlyList<double> Rate)> seeds, double floor, string title,
        string floorFormula = "(d/σ² − J(p_σ))/d")
    {
        if (seeds.Count == 0) throw new ArgumentException("no seed to draw", nameof(seeds));
        var mp = new Multiplot();
        mp.AddPlots(2);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        var top = mp.GetPlot(0);
        var bottom = mp.GetPlot(1);
        var first = seeds[0];
        var raw = top.Add.ScatterLine(Steps(first.Loss.Count), first.Loss.ToArray());
        raw.Color = Colors.Gray.WithAlpha(0.3);
        raw.LegendText = $"seed {first.Seed}: minibatch loss";
        for (int i = 0; i < seeds.Count; i++)
        {
            var (seed, loss, rate) = seeds[i];
            var smooth = top.Add.ScatterLine(Steps(loss.Count), MovingAverage(loss, 50));
            smooth.Color = palette.GetColor(i);
            smooth.LineWidth = 2;
            smooth.LegendText = $"seed {seed}: mean of last 50";
            var lr = bottom.Add.ScatterLine(Steps(rate.Count), rate.Select(r => Math.Log10(r)).ToArray());
            lr.Color = palette.GetColor(i);
            lr.LegendText = $"seed {seed}";
        }
        var line = top.Add.HorizontalLine(floor, 2, Truth0, LinePattern.Dashed);
        line.LegendText = $"floor = {floor:F3}: {floorFormula}";
        top.Title(title);
        WrapTitle(top, TitleWidth(LossPanelWidth));
        top.XLabel("step");
        top.YLabel("DSM loss (per dimension)");
        top.ShowLegend(Edge.Bottom);
        var all = seeds.SelectMany(s => s.Loss).ToArray();
        top.Axes.SetLimitsY(Math.Min(floor, all.Min()) * 0.95, Math.Max(Quantile(all, 0.98), floor * 1.2));
        bottom.Title("learning rate");
        bottom.XLabel("step");
        bottom.YLabel("log₁₀ learning rate");
        bottom.ShowLegend(Edge.Bottom);
        return mp;
    }

    static double[] Steps(int count) => Enumerable.Range(1, count).Select(i => (double)i).ToArray();

    /// <summary>
    /// The seed report's layout for one reconstruction, p₀ | x_T | p₀′: density histograms in 1D
    /// with the exact p₀ and p_σ drawn over them, scatter plots in 2D (first two coordinates) with the
    /// exact densities' highest-density regions as contours (<see cref="ContourMasses"/>): p₀'s over the
    /// p₀ sample, p_σ's (and p₀'s, thin) over the reconstruction.
    /// </summary>
    /// <param name="logDensity0">log p₀ at a block of points (d ≤ 2), or null.</param>
    /// <param name="logDensitySigma">log p_σ at a block of points (d ≤ 2), σ the sampler's target, or null.</param>
    public static void Distributions(string path, Points reference, Points start, Points samples, string startTitle,
        string samplesTitle, Func<Points, double[]>? logDensity0, Func<Points, double[]>? logDensitySigma, double sigma) =>
        Save(DistributionsPlot(reference, start, samples, startTitle, samplesTitle, logDensity0, logDensitySigma, sigma), path, Width + 300, Height + 50);

    /// <summary>The masses of the highest-density regions drawn as contours in 2D: 50%, 90% and 99%.</summary>
    public static readonly IReadOnlyList<double> ContourMasses = [0.5, 0.9, 0.99];

    /// <summary>
    /// The axes of the distributions figure, per drawn coordinate (the first, or the first two): <see cref="Lo"/>–<see cref="Hi"/>
    /// for the p₀ and reconstruction panels and <see cref="StartLo"/>–<see cref="StartHi"/> for the start's. When the start
    /// lies within <see cref="StartApartFactor"/> times the target's window (a forward-noised start) all three share one
    /// window; when it is wider (a diffusion sampler's prior N(0, σ_max²I), σ_max up to 80), shared axes would shrink p₀ and
    /// the samples to a dot, so the start gets its own axes (<see cref="StartApart"/>) and the others frame p₀ and the samples.
    /// </summary>
    public sealed record DistributionWindow(double[] Lo, double[] Hi, double[] StartLo, double[] StartHi, bool StartApart)
    {
        /// <summary>How many times wider than the target's window the start's own window is, in its widest coordinate.</summary>
        public double StartWidthRatio => Enumerable.Range(0, Lo.Length).Max(k => (StartHi[k] - StartLo[k]) / (Hi[k] - Lo[k]));
    }

    /// <summary>A start whose window is more than this many times the target's (p₀ and samples) in some coordinate is drawn on its own axes.</summary>
    public const double StartApartFactor = 3;

    /// <summary>
    /// The windows of <see cref="DistributionWindow"/>: in each drawn coordinate the 0.1%–99.9% quantiles (1D) or
    /// 0.2%–99.8% quantiles (2D) of the points, widened by 0.5 on each side; the target's from the p₀ sample and
    /// the reconstruction, the start's from the start together with the target's window.
    /// </summary>
    public static DistributionWindow DistributionWindows(Points reference, Points start, Points samples)
    {
        int drawn = Math.Min(reference.Dimension, 2);
        double q = drawn == 1 ? 0.001 : 0.002;
        double[] Column(Points p, int k) => p.Data.Where((_, i) => i % p.Dimension == k).ToArray();
        var lo = new double[drawn]; var hi = new double[drawn];
        var startLo = new double[drawn]; var startHi = new double[drawn];
        var allLo = new double[drawn]; var allHi = new double[drawn];
        for (int k = 0; k < drawn; k++)
        {
            var target = Column(reference, k).Concat(Column(samples, k)).ToArray();
            var all = target.Concat(Column(start, k)).ToArray();
            (lo[k], hi[k]) = (Quantile(target, q) - 0.5, Quantile(target, 1 - q) + 0.5);
            (allLo[k], allHi[k]) = (Quantile(all, q) - 0.5, Quantile(all, 1 - q) + 0.5);
            var own = Column(start, k);
            (startLo[k], startHi[k]) = (Math.Min(lo[k], Quantile(own, q) - 0.5), Math.Max(hi[k], Quantile(own, 1 - q) + 0.5));
        }
        bool apart = Enumerable.Range(0, drawn).Any(k => startHi[k] - startLo[k] > StartApartFactor * (hi[k] - lo[k]));
        // Not apart: one window over all three panels, the quantiles of all their points together.
        return apart ? new(lo, hi, startLo, startHi, true) : new(allLo, allHi, allLo, allHi, false);
    }

    /// <summary>The start panel's title: on its own axes it says so and marks the other panels' window.</summary>
    public static string StartPanelTitle(string startTitle, DistributionWindow window) => window.StartApart
        ? $"{startTitle}, on its own axes ({window.StartWidthRatio.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)}× wider);\ndashed: the other panels' window"
        : startTitle;

    /// <summary>The figure of <see cref="Distributions"/>.</summary>
    internal static Multiplot DistributionsPlot(Points reference, Points start, Points samples, string startTitle,
        string samplesTitle, Func<Points, double[]>? logDensity0, Func<Points, double[]>? logDensitySigma, double sigma)
    {
        var mp = new Multiplot();
        mp.AddPlots(3);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var window = DistributionWindows(reference, start, samples);
        var panels = new[] { (reference, "p₀ (fresh exact sample)"), (start, StartPanelTitle(startTitle, window)), (samples, samplesTitle) };
        for (int p = 0; p < 3; p++)
        {
            var plot = mp.GetPlot(p);
            var (points, title) = panels[p];
            plot.Title(title);
            WrapTitle(plot, TitleWidth(DistributionsPanelWidth));
            var (wlo, whi) = p == 1 ? (window.StartLo, window.StartHi) : (window.Lo, window.Hi);
            if (points.Dimension == 1)
            {
                double lo = wlo[0], hi = whi[0];
                HistogramBars(plot, points.Data, lo, hi, 60, p == 1 ? Colors.Gray : p == 0 ? Data : Model);
                var xs = Grid(lo, hi, 300);
                if (logDensity0 is not null)
                {
                    var c = plot.Add.ScatterLine(xs, logDensity0(new Points(xs, 1)).Select(Math.Exp).ToArray());
                    c.Color = Truth0; c.LineWidth = 2; c.LegendText = "exact p₀";
                }
                if (logDensitySigma is not null)
                {
                    var c = plot.Add.ScatterLine(xs, logDensitySigma(new Points(xs, 1)).Select(Math.Exp).ToArray());
                    c.Color = TruthSigma; c.LineWidth = 2; c.LinePattern = LinePattern.Dashed; c.LegendText = $"exact p_σ, σ = {sigma}";
                }
                plot.XLabel("x");
                plot.YLabel("density");
                if (logDensity0 is not null || logDensitySigma is not null) plot.ShowLegend(Edge.Bottom);
            }
            else
            {
                plot.Add.Markers(points.Column(0), points.Column(1), MarkerShape.FilledCircle, 2, (p == 1 ? Colors.Gray : p == 0 ? Data : Model).WithAlpha(0.5));
                plot.XLabel("x₁");
                plot.YLabel("x₂");
                plot.Axes.SetLimits(wlo[0], whi[0], wlo[1], whi[1]);
            }
            if (p == 1 && window.StartApart)
            {
                // The other panels' window, so the start's scale reads against the target's.
                DashedWindow(plot, window.Lo, window.Hi, vertical: true);
            }
        }
        if (reference.Dimension == 2)
        {
            double xlo = window.Lo[0], xhi = window.Hi[0], ylo = window.Lo[1], yhi = window.Hi[1];
            // Contours of the exact densities over the drawn window (only a 2D density has a contour in the plane).
            if (logDensity0 is not null)
            {
                AddDensityContours(mp.GetPlot(0), logDensity0, xlo, xhi, ylo, yhi, Truth0, LinePattern.Solid, 1.5f);
                if (logDensitySigma is null || sigma == 0)
                    AddDensityContours(mp.GetPlot(2), logDensity0, xlo, xhi, ylo, yhi, Truth0, LinePattern.Solid, 1.5f);
            }
            if (logDensitySigma is not null && sigma > 0)
            {
                if (logDensity0 is not null) AddDensityContours(mp.GetPlot(2), logDensity0, xlo, xhi, ylo, yhi, Truth0.WithAlpha(0.6), LinePattern.Dotted, 1f);
                AddDensityContours(mp.GetPlot(2), logDensitySigma, xlo, xhi, ylo, yhi, TruthSigma, LinePattern.Dashed, 2f);
            }
        }
        return mp;
    }

    /// <summary>Side of the grid on which a 2D density is evaluated for its contours.</summary>
    const int ContourGrid = 121;

    /// <summary>
    /// Contours of an exact 2D density at the levels whose superlevel sets hold <see cref="ContourMasses"/> of its
    /// mass (<see cref="HighestDensityLevels"/>), evaluated on a grid over the window; returns the levels drawn.
    /// </summary>
    internal static double[] AddDensityContours(Plot plot, Func<Points, double[]> logDensity, double xlo, double xhi, double ylo, double yhi,
        Color color, LinePattern pattern, float width)
    {
        var (grid, density, cell) = DensityGrid(logDensity, xlo, xhi, ylo, yhi, ContourGrid);
        var levels = HighestDensityLevels(density, cell, ContourMasses).Where(double.IsFinite).ToArray();
        if (levels.Length == 0) return levels;
        var contour = new ScottPlot.Plottables.ContourLines { ContourLineLevels = levels };
        contour.Update(grid);
        contour.LineColor = color;
        contour.LinePattern = pattern;
        contour.LineWidth = width;
        contour.LabelStyle.IsVisible = false;
        plot.Add.Plottable(contour);
        return levels;
    }

    /// <summary>An n × n grid over the window: (x, y, density) per node, the densities alone and the cell area.</summary>
    internal static (Coordinates3d[,] Grid, double[] Density, double Cell) DensityGrid(Func<Points, double[]> logDensity,
        double xlo, double xhi, double ylo, double yhi, int n)
    {
        var xs = Grid(xlo, xhi, n);
        var ys = Grid(ylo, yhi, n);
        var nodes = Points.Zeros(n * n, 2);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) { nodes.Data[2 * (j * n + i)] = xs[i]; nodes.Data[2 * (j * n + i) + 1] = ys[j]; }
        var density = logDensity(nodes).Select(Math.Exp).ToArray();
        var grid = new Coordinates3d[n, n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) grid[j, i] = new Coordinates3d(xs[i], ys[j], density[j * n + i]);
        return (grid, density, (xs[1] - xs[0]) * (ys[1] - ys[0]));
    }

    /// <summary>
    /// The density levels t_m whose superlevel sets {p ≥ t_m} hold mass m (highest-density regions, Hyndman 1996,
    /// Am. Stat. 50(2)), from a density evaluated on a grid of cells of area <paramref name="cell"/>: nodes sorted by
    /// density, their masses p·cell summed from the top until m is reached. NaN for a mass the grid's window does not
    /// hold (the density is normalised on the whole plane, not on the window).
    /// </summary>
    internal static double[] HighestDensityLevels(IReadOnlyList<double> density, double cell, IReadOnlyList<double> masses)
    {
        var sorted = density.Where(double.IsFinite).OrderDescending().ToArray();
        var levels = new double[masses.Count];
        for (int k = 0; k < masses.Count; k++)
        {
            double sum = 0;
            levels[k] = double.NaN;
            foreach (double p in sorted)
            {
                sum += p * cell;
                if (sum >= masses[k]) { levels[k] = p; break; }
            }
        }
        return levels;
    }

    /// <summary>
    /// Tracked trajectories: x against step in 1D, paths in the plane in 2D over a faint data cloud. When the recorded
    /// positions span more than <see cref="StartApartFactor"/> times the data's window (a diffusion sampler from its prior
    /// N(0, σ_max²I)), two panels (<see cref="TrajectoryFramedPlot"/>); else one (<see cref="TrajectoryPlot"/>).
    /// </summary>
    public static void Trajectories(string path, IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, string title)
    {
        if (TrajectoryFrame(steps, background) is { Apart: true })
            Save(TrajectoryFramedPlot(stepNumbers, steps, background, title), path, 2 * TrajectoryFramedPanelWidth, 620);
        else
            Save(TrajectoryPlot(stepNumbers, steps, background, title), path, 800, 600);
    }

    /// <summary>
    /// The windows of the trajectory figure per drawn coordinate: the data's (<see cref="TrajectoryWindow"/> of the p₀ sample
    /// and the last recorded positions), the whole paths' (every recorded position and the p₀ sample, widened by 5%), and
    /// whether the paths' is more than <see cref="StartApartFactor"/> times the data's in some coordinate.
    /// </summary>
    public sealed record TrajectoryWindows(double[] Lo, double[] Hi, double[] PathLo, double[] PathHi, bool Apart)
    {
        /// <summary>How many times wider than the data's window the paths' window is, in its widest coordinate.</summary>
        public double WidthRatio => Enumerable.Range(0, Lo.Length).Max(k => (PathHi[k] - PathLo[k]) / (Hi[k] - Lo[k]));
    }

    /// <summary>The windows of <see cref="TrajectoryWindows"/>.</summary>
    public static TrajectoryWindows TrajectoryFrame(IReadOnlyList<Points> steps, Points? background)
    {
        int d = steps[0].Dimension, drawn = Math.Min(d, 2);
        var (lo, hi) = TrajectoryWindow([steps[^1]], background);
        var pathLo = new double[drawn];
        var pathHi = new double[drawn];
        for (int k = 0; k < drawn; k++)
        {
            var values = steps.SelectMany(s => s.Column(k)).Concat(background?.Column(k) ?? []).Where(double.IsFinite).ToArray();
            double a = values.Min(), b = values.Max(), pad = 0.05 * Math.Max(b - a, 1e-9);
            (pathLo[k], pathHi[k]) = (Math.Min(lo[k], a - pad), Math.Max(hi[k], b + pad));
        }
        bool apart = Enumerable.Range(0, drawn).Any(k => pathHi[k] - pathLo[k] > StartApartFactor * (hi[k] - lo[k]));
        return new TrajectoryWindows(lo, hi, pathLo, pathHi, apart);
    }

    /// <summary>
    /// The trajectory figure: in 1D each tracked particle's position against its Langevin step (the
    /// sampler's own step numbers, not the index of the stored record), in 2D its path in the plane.
    /// The position axes span the data (the background sample) and every start and end point; positions
    /// between them outside that window (an annealed sampler's high-noise levels) are clipped, and the title
    /// says what fraction of the recorded positions that is.
    /// </summary>
    internal static Plot TrajectoryPlot(IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, string title)
    {
        if (stepNumbers.Count != steps.Count) throw new ArgumentException($"{stepNumbers.Count} step numbers for {steps.Count} records");
        var plot = new Plot();
        var (lo, hi) = TrajectoryWindow(steps, background);
        double outside = OutsideShare(steps, lo, hi);
        plot.Title(outside > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{title} ({100 * outside:F1}% of recorded positions outside the data's window, clipped)")
            : title);
        DrawTrajectories(plot, stepNumbers, steps, background, lo, hi);
        return plot;
    }

    /// <summary>
    /// The trajectory figure of a sampler whose paths span far more than the data (a diffusion sampler from N(0, σ_max²I)),
    /// framed as the distributions figure frames its start: left, the whole paths on their own axes with the data's window
    /// dashed; right, the data's window (<see cref="TrajectoryWindows.Lo"/>–<see cref="TrajectoryWindows.Hi"/>: the p₀ sample
    /// and the ends), where the paths arrive, clipped, its title giving the share of recorded positions outside.
    /// </summary>
    internal static Multiplot TrajectoryFramedPlot(IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, string title)
    {
        if (stepNumbers.Count != steps.Count) throw new ArgumentException($"{stepNumbers.Count} step numbers for {steps.Count} records");
        var frame = TrajectoryFrame(steps, background);
        var mp = new Multiplot();
        mp.AddPlots(2);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var whole = mp.GetPlot(0);
        whole.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{title}: whole paths, on their own axes ({frame.WidthRatio:F0}× wider);\ndashed: the right panel's window (the data's)"));
        WrapTitle(whole, TitleWidth(TrajectoryFramedPanelWidth));
        DrawTrajectories(whole, stepNumbers, steps, background, frame.PathLo, frame.PathHi);
        DashedWindow(whole, frame.Lo, frame.Hi, vertical: false);
        var inside = mp.GetPlot(1);
        double outside = OutsideShare(steps, frame.Lo, frame.Hi);
        // In the plane the crossings of the high-noise steps would cover p₀: each path is drawn from its last entry into the window.
        var arrivals = frame.Lo.Length == 1 ? null : Arrivals(steps, frame.Lo, frame.Hi);
        string share = (100 * outside).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        inside.Title(frame.Lo.Length == 1
            ? $"the data's window: p₀ and the paths' ends\n({share}% of recorded positions outside, clipped)"
            : $"the data's window: each path from its last entry to its end\n({share}% of recorded positions outside)");
        DrawTrajectories(inside, stepNumbers, steps, background, frame.Lo, frame.Hi, arrivals);
        return mp;
    }

    /// <summary>
    /// Per tracked particle, the first record from which it stays inside [lo, hi] in every drawn coordinate to the end
    /// (its arrival in the window); the number of records when its last position is outside.
    /// </summary>
    internal static int[] Arrivals(IReadOnlyList<Points> steps, double[] lo, double[] hi)
    {
        int n = steps[0].Count, d = steps[0].Dimension;
        bool Inside(Points s, int p) => Enumerable.Range(0, lo.Length).All(k => s.Data[p * d + k] >= lo[k] && s.Data[p * d + k] <= hi[k]);
        var first = new int[n];
        for (int p = 0; p < n; p++)
        {
            int i = steps.Count;
            while (i > 0 && Inside(steps[i - 1], p)) i--;
            first[p] = i;
        }
        return first;
    }

    /// <summary>The share of recorded positions (particles × records) outside [lo, hi] in some drawn coordinate.</summary>
    static double OutsideShare(IReadOnlyList<Points> steps, double[] lo, double[] hi)
    {
        int n = steps[0].Count, d = steps[0].Dimension;
        return steps.Average(s => Enumerable.Range(0, n).Count(p => Enumerable.Range(0, Math.Min(d, 2))
            .Any(k => s.Data[p * d + k] < lo[k] || s.Data[p * d + k] > hi[k])) / (double)n);
    }

    /// <summary>Draws the tracked particles (1D: x against step; 2D: paths, open circle at the start, filled at the end) over the p₀ sample, within [lo, hi].</summary>
    /// <param name="first">Per particle, the first record drawn (2D only; null: all); the start's open circle only when it is record 0.</param>
    static void DrawTrajectories(Plot plot, IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background, double[] lo, double[] hi,
        int[]? first = null)
    {
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
            plot.Axes.SetLimitsY(lo[0], hi[0]);
        }
        else
        {
            if (background is not null)
                plot.Add.Markers(background.Column(0), background.Column(1), MarkerShape.FilledCircle, 2, Colors.Gray.WithAlpha(0.25));
            for (int p = 0; p < n; p++)
            {
                var drawn = steps.Skip(first?[p] ?? 0).ToArray();
                if (drawn.Length == 0) continue;
                var line = plot.Add.ScatterLine(drawn.Select(s => s.Data[p * d]).ToArray(), drawn.Select(s => s.Data[p * d + 1]).ToArray());
                line.Color = palette.GetColor(p).WithAlpha(0.8);
                if ((first?[p] ?? 0) == 0)
                    plot.Add.Markers(new[] { steps[0].Data[p * d] }, new[] { steps[0].Data[p * d + 1] }, MarkerShape.OpenCircle, 6, palette.GetColor(p));
                plot.Add.Markers(new[] { steps[^1].Data[p * d] }, new[] { steps[^1].Data[p * d + 1] }, MarkerShape.FilledCircle, 6, palette.GetColor(p));
            }
            plot.XLabel("x₁ (open circle: start, filled: end)");
            plot.YLabel("x₂");
            plot.Axes.SetLimits(lo[0], hi[0], lo[1], hi[1]);
        }
    }

    /// <summary>
    /// Tracked trajectories of a sampler that runs through several noise levels (annealed Langevin), one panel per
    /// level: the records from the level's start to its end, each panel on its own axes (a level at σ = 20 spans ±60,
    /// the last one the data), over the p₀ sample, the level's σ and steps in its title. At most 10 panels: with
    /// more levels, 10 spread evenly from the first to the last.
    /// </summary>
    /// <param name="levels">The levels in order: σ and the 1-based steps [first, last] run at it.</param>
    public static void TrajectoryLevels(string path, IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background,
        IReadOnlyList<(double Sigma, int First, int Last)> levels, string title)
    {
        var mp = TrajectoryLevelsPlot(stepNumbers, steps, background, levels, title);
        int panels = mp.GetPlots().Length, columns = Math.Min(panels, 5), rows = (panels + columns - 1) / columns;
        Save(mp, path, TrajectoryPanelWidth * columns, 330 * rows);
    }

    /// <summary>
    /// The widest title line a panel of <paramref name="panelWidth"/> pixels shows whole: ScottPlot centres a title on
    /// the data area, which the vertical axis pushes right, so a line may span 3/4 of the panel at most.
    /// </summary>
    internal static float TitleWidth(int panelWidth) => panelWidth * 0.75f;

    /// <summary>Width in pixels of the loss panel of <see cref="Loss"/> (half the figure).</summary>
    internal const int LossPanelWidth = Width / 2;

    /// <summary>
    /// Marks another panel's window [lo, hi] on <paramref name="plot"/>, dashed black: a box in 2D; in 1D its two edges, as
    /// vertical lines when the coordinate is on the horizontal axis (a histogram), horizontal when it is on the vertical
    /// axis (paths against the step).
    /// </summary>
    static void DashedWindow(Plot plot, double[] lo, double[] hi, bool vertical)
    {
        if (lo.Length == 1)
        {
            foreach (double edge in new[] { lo[0], hi[0] })
            {
                ScottPlot.Plottables.AxisLine line = vertical ? plot.Add.VerticalLine(edge) : plot.Add.HorizontalLine(edge);
                line.Color = Colors.Black; line.LinePattern = LinePattern.Dashed; line.LineWidth = 1.5f;
            }
            return;
        }
        var box = plot.Add.Rectangle(lo[0], hi[0], lo[1], hi[1]);
        box.FillStyle.Color = Colors.Transparent;
        box.LineStyle.Color = Colors.Black;
        box.LineStyle.Pattern = LinePattern.Dashed;
        box.LineStyle.Width = 1.5f;
    }

    /// <summary>Width in pixels of one of the three panels of <see cref="Distributions"/>.</summary>
    internal const int DistributionsPanelWidth = (Width + 300) / 3;

    /// <summary>Width in pixels of one of the two panels of <see cref="TrajectoryFramedPlot"/>.</summary>
    internal const int TrajectoryFramedPanelWidth = 750;

    /// <summary>Width in pixels of one panel of <see cref="TrajectoryLevels"/>.</summary>
    internal const int TrajectoryPanelWidth = 340;

    /// <summary>
    /// Breaks a plot's title at spaces so that no line is wider than <paramref name="maxWidth"/> pixels in the
    /// title's own font (ScottPlot 5 draws a title on one line per line break and clips what does not fit the figure).
    /// </summary>
    internal static void WrapTitle(Plot plot, float maxWidth)
    {
        var label = plot.Axes.Title.Label;
        using var paint = Paint.NewDisposablePaint();
        float Width(string text) => label.Measure(text, paint).Width;
        var lines = new List<string>();
        foreach (string line in label.Text.Split('\n'))
        {
            string current = "";
            foreach (string word in line.Split(' '))
            {
                string candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && Width(candidate) > maxWidth)
                {
                    lines.Add(current);
                    current = word;
                }
                else current = candidate;
            }
            lines.Add(current);
        }
        label.Text = string.Join("\n", lines);
    }

    /// <summary>The figure of <see cref="TrajectoryLevels"/> (2D: the first two coordinates).</summary>
    internal static Multiplot TrajectoryLevelsPlot(IReadOnlyList<double> stepNumbers, IReadOnlyList<Points> steps, Points? background,
        IReadOnlyList<(double Sigma, int First, int Last)> levels, string title)
    {
        if (stepNumbers.Count != steps.Count) throw new ArgumentException($"{stepNumbers.Count} step numbers for {steps.Count} records");
        var shown = levels.Count <= 10 ? levels.ToArray()
            : Enumerable.Range(0, 10).Select(i => levels[(int)Math.Round(i * (levels.Count - 1) / 9.0)]).Distinct().ToArray();
        var mp = new Multiplot();
        mp.AddPlots(shown.Length);
        int columns = Math.Min(shown.Length, 5), rows = (shown.Length + columns - 1) / columns;
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        for (int i = 0; i < shown.Length; i++) layout.Set(mp.GetPlot(i), new GridCell(i / columns, i % columns, rows, columns));
        mp.Layout = layout;
        var palette = new ScottPlot.Palettes.Category10();
        int n = steps[0].Count, d = steps[0].Dimension;
        for (int l = 0; l < shown.Length; l++)
        {
            var (sigma, first, last) = shown[l];
            // The level's records: from the one just before its first step (its start) to its last step.
            var records = Enumerable.Range(0, steps.Count).Where(i => stepNumbers[i] >= first - 1 && stepNumbers[i] <= last).ToArray();
            var plot = mp.GetPlot(l);
            string head = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"σ = {sigma:G3}, steps {first}–{last}");
            plot.Title(l == 0 ? $"{title}\n{head}" : head);
            if (l == 0) WrapTitle(plot, TitleWidth(TrajectoryPanelWidth));
            if (records.Length == 0) continue;
            if (background is not null)
                plot.Add.Markers(background.Column(0), background.Column(1), MarkerShape.FilledCircle, 2, Colors.Gray.WithAlpha(0.25));
            for (int p = 0; p < n; p++)
            {
                var line = plot.Add.ScatterLine(records.Select(i => steps[i].Data[p * d]).ToArray(), records.Select(i => steps[i].Data[p * d + 1]).ToArray());
                line.Color = palette.GetColor(p).WithAlpha(0.8);
                plot.Add.Markers(new[] { steps[records[0]].Data[p * d] }, new[] { steps[records[0]].Data[p * d + 1] }, MarkerShape.OpenCircle, 5, palette.GetColor(p));
                plot.Add.Markers(new[] { steps[records[^1]].Data[p * d] }, new[] { steps[records[^1]].Data[p * d + 1] }, MarkerShape.FilledCircle, 5, palette.GetColor(p));
            }
            plot.XLabel("x₁");
            plot.YLabel("x₂");
        }
        return mp;
    }

    /// <summary>
    /// The noise levels a sampler runs through, from its moves: consecutive steps whose Langevin move follows the
    /// same σ form one level. Steps that are not Langevin moves belong to no level.
    /// </summary>
    public static IReadOnlyList<(double Sigma, int First, int Last)> NoiseLevels(Func<int, double?> sigmaAt, int steps)
    {
        var levels = new List<(double, int, int)>();
        for (int step = 1; step <= steps; step++)
        {
            if (sigmaAt(step) is not double sigma) continue;
            if (levels.Count > 0 && levels[^1].Item1 == sigma && levels[^1].Item3 == step - 1) levels[^1] = (sigma, levels[^1].Item2, step);
            else levels.Add((sigma, step, step));
        }
        return levels;
    }

    /// <summary>
    /// Per drawn coordinate (the first one or two), the window of the trajectory figure: the range of the
    /// background sample and of the first and last recorded positions, widened by 5% on each side.
    /// </summary>
    internal static (double[] Lo, double[] Hi) TrajectoryWindow(IReadOnlyList<Points> steps, Points? background)
    {
        int d = steps[0].Dimension, drawn = Math.Min(d, 2);
        var lo = new double[drawn];
        var hi = new double[drawn];
        for (int k = 0; k < drawn; k++)
        {
            var values = steps[0].Column(k).Concat(steps[^1].Column(k)).Concat(background?.Column(k) ?? []).Where(double.IsFinite).ToArray();
            double a = values.Min(), b = values.Max(), pad = 0.05 * Math.Max(b - a, 1e-9);
            (lo[k], hi[k]) = (a - pad, b + pad);
        }
        return (lo, hi);
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
            plot.ShowLegend(Edge.Right);
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

    /// <summary>One seed's relative score error e(σ_k) at each level of a σ grid (NaN where it has none).</summary>
    public sealed record ScoreErrorSeries(long Seed, IReadOnlyList<double> Error);

    /// <summary>
    /// The time-resolved score error e(σ) against σ on log–log axes (<see cref="Repro.Core.Metrics.ScoreErrorProfileMetric"/>):
    /// each seed's curve, the mean over seeds with its 95% Student-t interval (<see cref="Estimate"/>) as a band, and the
    /// level e = 1 of the zero score s = 0 (dashed); legend outside the data.
    /// </summary>
    /// <param name="sigmas">The grid σ_1 &lt; … &lt; σ_K (&gt; 0).</param>
    /// <param name="seeds">Per seed, e(σ_k) for k = 1..K.</param>
    public static void ScoreErrorProfile(string path, IReadOnlyList<double> sigmas, IReadOnlyList<ScoreErrorSeries> seeds, string title) =>
        Save(ScoreErrorProfilePlot(sigmas, seeds, title), path, 1250, 560);

    /// <summary>
    /// The figure of <see cref="ScoreErrorProfile"/>. ScottPlot 5.1 has no logarithmic axis: both coordinates are drawn as
    /// log₁₀ of the value, the σ ticks sit at the grid's levels labelled with σ itself, the e ticks at whole decades
    /// labelled 10^y (with log-spaced minor ticks). An interval whose lower end is ≤ 0 (a mean near 0 with a wide spread
    /// over few seeds) has no logarithm: its band is drawn down to the bottom of the axis.
    /// </summary>
    internal static Plot ScoreErrorProfilePlot(IReadOnlyList<double> sigmas, IReadOnlyList<ScoreErrorSeries> seeds, string title)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seed to draw", nameof(seeds));
        if (sigmas.Any(s => !(s > 0))) throw new ArgumentException("every σ of the grid must be > 0", nameof(sigmas));
        foreach (var s in seeds)
            if (s.Error.Count != sigmas.Count) throw new ArgumentException($"seed {s.Seed}: {s.Error.Count} values for {sigmas.Count} levels", nameof(seeds));
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var x = sigmas.Select(Math.Log10).ToArray();
        var positive = seeds.SelectMany(s => s.Error).Where(e => e > 0 && double.IsFinite(e)).ToArray();
        double bottom = ScoreErrorAxisBottom(seeds);
        var estimates = Enumerable.Range(0, sigmas.Count).Select(k => Estimate.Of(seeds.Select(s => s.Error[k]))).ToArray();
        var (bandX, lower, upper) = ScoreErrorInterval(sigmas, seeds, bottom);
        if (bandX.Length >= 2)
        {
            var band = plot.Add.FillY(bandX, lower, upper);
            band.FillColor = Colors.Gray.WithAlpha(0.3);
            band.LineColor = Colors.Transparent;
            band.LegendText = $"95% Student-t interval of the mean over the {seeds.Count} seeds";
        }
        for (int i = 0; i < seeds.Count; i++)
        {
            var levels = Enumerable.Range(0, sigmas.Count).Where(k => seeds[i].Error[k] > 0 && double.IsFinite(seeds[i].Error[k])).ToArray();
            var line = plot.Add.Scatter(levels.Select(k => x[k]).ToArray(), levels.Select(k => Math.Log10(seeds[i].Error[k])).ToArray());
            line.Color = palette.GetColor(i).WithAlpha(0.8);
            line.LineWidth = 1.5f;
            line.MarkerSize = 5;
            line.LegendText = $"seed {seeds[i].Seed}";
        }
        if (seeds.Count > 1)
        {
            // One seed is its own mean, with no interval: the seed's curve alone.
            var meanLevels = Enumerable.Range(0, sigmas.Count).Where(k => estimates[k].Mean > 0).ToArray();
            var mean = plot.Add.Scatter(meanLevels.Select(k => x[k]).ToArray(), meanLevels.Select(k => Math.Log10(estimates[k].Mean)).ToArray());
            mean.Color = Colors.Black;
            mean.LineWidth = 3;
            mean.MarkerSize = 7;
            mean.LegendText = $"mean over the {seeds.Count} seeds";
        }
        var zero = plot.Add.HorizontalLine(0, 2, Colors.Black, LinePattern.Dashed);
        zero.LegendText = "e = 1: the zero score s = 0";
        double top = Math.Max(0, estimates.Where(e => e.Count > 0).Select(e => Math.Log10(e.Mean + (double.IsFinite(e.HalfWidth) ? e.HalfWidth : 0)))
            .Concat(positive.Select(Math.Log10)).DefaultIfEmpty(0).Max());
        plot.Axes.SetLimits(x[0] - 0.1, x[^1] + 0.1, bottom, Math.Ceiling(top) + 0.15);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sigmas.Select((s, k) => new Tick(x[k], s.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Title(title);
        plot.XLabel("noise level σ (log scale)");
        plot.YLabel("e(σ) = E‖s − ∇log p_σ‖² / E‖∇log p_σ‖² (log scale)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The bottom of the e axis of <see cref="ScoreErrorProfile"/> in log₁₀ units: a little below the decade of the smallest positive value.</summary>
    internal static double ScoreErrorAxisBottom(IReadOnlyList<ScoreErrorSeries> seeds) =>
        Math.Floor(Math.Log10(seeds.SelectMany(s => s.Error).Where(e => e > 0 && double.IsFinite(e)).DefaultIfEmpty(0.1).Min())) - 0.15;

    /// <summary>
    /// The grey band of <see cref="ScoreErrorProfile"/> in log₁₀ units: at each level where two or more seeds have a value,
    /// log₁₀ σ and the 95% Student-t interval of the mean over seeds (<see cref="Estimate"/>), its lower end clipped at
    /// <paramref name="bottom"/> (and drawn there when it is ≤ 0).
    /// </summary>
    internal static (double[] LogSigma, double[] LogLower, double[] LogUpper) ScoreErrorInterval(IReadOnlyList<double> sigmas, IReadOnlyList<ScoreErrorSeries> seeds, double bottom)
    {
        var estimates = Enumerable.Range(0, sigmas.Count).Select(k => Estimate.Of(seeds.Select(s => s.Error[k]))).ToArray();
        var banded = Enumerable.Range(0, sigmas.Count).Where(k => double.IsFinite(estimates[k].HalfWidth)).ToArray();
        double Lower(Estimate e) => e.Mean - e.HalfWidth > 0 ? Math.Max(bottom, Math.Log10(e.Mean - e.HalfWidth)) : bottom;
        return (banded.Select(k => Math.Log10(sigmas[k])).ToArray(), banded.Select(k => Lower(estimates[k])).ToArray(),
            banded.Select(k => Math.Log10(estimates[k].Mean + estimates[k].HalfWidth)).ToArray());
    }

    /// <summary>
    /// Mode-weight bars per reconstruction: the mean over seeds of each component's mean responsibility (whose
    /// expectation under the law is exactly its weight), the 95% Student-t interval over seeds around it, each seed's
    /// value as a dot, the true weights as dashed lines, and a legend outside the data naming each component.
    /// </summary>
    /// <param name="perSeed">[reconstruction][component]: the finished seeds' mean responsibilities.</param>
    public static void ModeWeights(string path, IReadOnlyList<string> groups, IReadOnlyList<double[][]> perSeed,
        IReadOnlyList<double> truth, IReadOnlyList<string> components, string title) =>
        Save(ModeWeightsPlot(groups, perSeed, truth, components, title), path, 1100, 500);

    /// <summary>The figure of <see cref="ModeWeights"/>.</summary>
    internal static Plot ModeWeightsPlot(IReadOnlyList<string> groups, IReadOnlyList<double[][]> perSeed,
        IReadOnlyList<double> truth, IReadOnlyList<string> components, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int k = truth.Count;
        var ticks = new List<Tick>();
        double top = 1;
        for (int g = 0; g < groups.Count; g++)
        {
            for (int c = 0; c < k; c++)
            {
                double x = g * (k + 1) + c;
                var e = Estimate.Of(perSeed[g][c]);
                if (e.Count == 0) continue;
                var bar = plot.Add.Bar(x, e.Mean, 0);
                bar.Color = palette.GetColor(c);
                if (double.IsFinite(e.HalfWidth))
                {
                    var interval = plot.Add.Line(x, e.Mean - e.HalfWidth, x, e.Mean + e.HalfWidth);
                    interval.Color = Colors.Black;
                    interval.LineWidth = 3;
                    top = Math.Max(top, e.Mean + e.HalfWidth);
                }
                var values = perSeed[g][c].Where(double.IsFinite).ToArray();
                plot.Add.Markers(values.Select(_ => x + 0.25).ToArray(), values, MarkerShape.FilledCircle, 5, Colors.Black.WithAlpha(0.7));
                var t = plot.Add.Line(x - 0.45, truth[c], x + 0.45, truth[c]);
                t.Color = Colors.Black;
                t.LinePattern = LinePattern.Dashed;
                t.LineWidth = 2;
            }
            ticks.Add(new Tick(g * (k + 1) + (k - 1) / 2.0, groups[g]));
        }
        int seeds = perSeed.Count == 0 ? 0 : perSeed.Max(g => g.Max(c => c.Count(double.IsFinite)));
        for (int c = 0; c < k; c++)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c + 1}: {components[c]}, w = {truth[c]:G4}"),
                FillColor = palette.GetColor(c),
            });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "true weight", LineColor = Colors.Black, LinePattern = LinePattern.Dashed, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"95% Student-t interval over the {seeds} seeds", LineColor = Colors.Black, LineWidth = 3 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "one seed", MarkerShape = MarkerShape.FilledCircle, MarkerColor = Colors.Black, MarkerSize = 5 });
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimitsY(0, Math.Min(1.05, top + 0.05));
        plot.Title(title);
        plot.YLabel("mean responsibility (bar: mean over seeds)");
        return plot;
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
    /// The style of every line of one variance-by-step panel, series first, then p_σ's level, then p₀'s levels:
    /// a reconstruction is a colour (Category10 without its grey, then evenly spaced hues), a coordinate a dash
    /// pattern, so any number of series stays distinguishable; the ratio-1 level is thick solid black, p₀'s levels
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
    /// Variance ratios against the Langevin step count, one panel per law they are divided by (one denominator per
    /// axis, named in its label): per panel one line per (reconstruction, coordinate), styled by
    /// <see cref="VarianceByStepStyles"/>, with ratio 1 and each coordinate's p₀ level marked; legends outside the data.
    /// </summary>
    public static void VarianceByStep(string path, IReadOnlyList<VariancePanel> panels, string title) =>
        Save(VarianceByStepPlot(panels, title), path, 1100, 420 * Math.Max(1, panels.Count));

    /// <summary>The figure of <see cref="VarianceByStep"/>: one row per panel.</summary>
    internal static Multiplot VarianceByStepPlot(IReadOnlyList<VariancePanel> panels, string title)
    {
        if (panels.Count == 0) throw new ArgumentException("no panel to draw", nameof(panels));
        var mp = new Multiplot();
        mp.AddPlots(panels.Count);
        mp.Layout = new ScottPlot.MultiplotLayouts.Rows();
        for (int p = 0; p < panels.Count; p++)
            DrawVariancePanel(mp.GetPlot(p), panels[p], p == 0 ? title + "\n" : "");
        return mp;
    }

    /// <summary>One panel of <see cref="VarianceByStep"/> as a plot of its own (tests render it and read its pixels).</summary>
    internal static Plot VarianceByStepPlot(IReadOnlyList<VarianceSeries> lines, IReadOnlyList<VarianceLevel> levels, string title)
    {
        var plot = new Plot();
        DrawVariancePanel(plot, new VariancePanel("p_σ", lines, levels), title + "\n");
        return plot;
    }

    static void DrawVariancePanel(Plot plot, VariancePanel panel, string titlePrefix)
    {
        var (law, lines, levels) = panel;
        var styles = VarianceByStepStyles(lines, levels);
        for (int i = 0; i < lines.Count; i++)
        {
            var c = plot.Add.ScatterLine(lines[i].Steps, lines[i].Ratio);
            (c.Color, c.LinePattern, c.LineWidth, c.LegendText) = (styles[i].Color, styles[i].Pattern, styles[i].Width, lines[i].Label);
        }
        var oneStyle = styles[lines.Count];
        var one = plot.Add.HorizontalLine(1, oneStyle.Width, oneStyle.Color, oneStyle.Pattern);
        one.LegendText = $"ratio 1 ({law})";
        for (int j = 0; j < levels.Count; j++)
        {
            var style = styles[lines.Count + 1 + j];
            var l = plot.Add.HorizontalLine(levels[j].Level, style.Width, style.Color, style.Pattern);
            l.LegendText = levels[j].Label;
        }
        double top = lines.SelectMany(l => l.Ratio).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, Math.Min(2, Math.Max(1.2, top * 1.05)));
        string cut = top > 2 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (axis cut at 2; the ratio reaches {top:F1})") : "";
        plot.Title(titlePrefix + $"against the variance of {law}{cut}");
        plot.XLabel("Langevin step");
        plot.YLabel($"variance / variance of {law}");
        plot.Axes.Left.Label.FontSize = 14;
        // Outside the axes: with a dozen lines a legend inside covers the curves it names.
        plot.ShowLegend(Edge.Right);
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

    /// <summary>
    /// Invariant features of point clouds, one panel each: the density histogram of every pairwise distance ‖x_i − x_j‖
    /// and of the radius of gyration, for each series (e.g. p₀, the start, the reconstruction) on shared bins, drawn
    /// as step lines of area 1 (<see cref="CloudFeatures"/>).
    /// </summary>
    public static void CloudFeaturesFigure(string path, IReadOnlyList<(string Label, Points Clouds)> series, int count, int space, string title) =>
        Save(CloudFeaturesPlot(series, count, space, title), path, Width, Height);

    /// <summary>Bins per histogram of <see cref="CloudFeaturesFigure"/>.</summary>
    public const int CloudFeatureBins = 40;

    /// <summary>The figure of <see cref="CloudFeaturesFigure"/>; each series is one step line per panel, its legend text the label.</summary>
    internal static Multiplot CloudFeaturesPlot(IReadOnlyList<(string Label, Points Clouds)> series, int count, int space, string title) =>
        FeaturePanels(series, [
            ("pairwise distance ‖x_i − x_j‖", "pairwise distances", x => CloudFeatures.PairwiseDistances(x, count, space)),
            ("radius of gyration", "radius of gyration", x => CloudFeatures.RadiusOfGyration(x, count, space)),
        ], title);

    /// <summary>
    /// Validity features of conformers of a chain in R³ (data kind <c>ensemble</c>), one panel each: the spacing of chain
    /// neighbours, every pairwise distance and the radius of gyration (<see cref="Repro.Core.Metrics.ConformerGeometry"/>),
    /// for each series (the held-out conformers, the training conformers, a reconstruction) on shared bins of area 1.
    /// </summary>
    public static void ConformerFeaturesFigure(string path, IReadOnlyList<(string Label, Points Clouds)> series, string title) =>
        Save(ConformerFeaturesPlot(series, title), path, Width * 3 / 2, Height);

    /// <summary>The figure of <see cref="ConformerFeaturesFigure"/>.</summary>
    internal static Multiplot ConformerFeaturesPlot(IReadOnlyList<(string Label, Points Clouds)> series, string title)
    {
        static double[] PerConformer(Points x, Func<double[], IEnumerable<double>> of) =>
            Enumerable.Range(0, x.Count).SelectMany(i => of(x.Row(i).ToArray())).ToArray();
        return FeaturePanels(series, [
            ("neighbour spacing ‖x_(k+1) − x_k‖", "chain-neighbour spacing", x => PerConformer(x, c => Repro.Core.Metrics.ConformerGeometry.NeighbourSpacings(c))),
            ("pairwise distance ‖x_i − x_j‖", "pairwise distances", x => PerConformer(x, c => Repro.Core.Metrics.ConformerGeometry.PairwiseDistances(c))),
            ("radius of gyration", "radius of gyration", x => PerConformer(x, c => [Repro.Core.Metrics.ConformerGeometry.RadiusOfGyration(c)])),
        ], title);
    }

    /// <summary>One panel per feature: the density histogram of each series' values on 40 shared bins, as step lines of area 1; the first panel's title leads with <paramref name="title"/>.</summary>
    static Multiplot FeaturePanels(IReadOnlyList<(string Label, Points Clouds)> series, IReadOnlyList<(string Axis, string Title, Func<Points, double[]> Of)> features, string title)
    {
        if (series.Count == 0) throw new ArgumentException("no series to draw", nameof(series));
        var mp = new Multiplot();
        mp.AddPlots(features.Count);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Color[] colors = [Truth0, Data, Model, TruthSigma, Colors.Purple];
        for (int f = 0; f < features.Count; f++)
        {
            var plot = mp.GetPlot(f);
            var values = series.Select(s => features[f].Of(s.Clouds)).ToArray();
            double lo = values.SelectMany(v => v).Where(double.IsFinite).DefaultIfEmpty(0).Min();
            double hi = values.SelectMany(v => v).Where(double.IsFinite).DefaultIfEmpty(1).Max();
            // A feature that is the same in every cloud up to rounding (a rigid shape's radius of gyration) gets one unit
            // of room with its value in the middle of a bin, not 40 bins across its last bits.
            if (!(hi - lo > 1e-9 * Math.Max(1, Math.Abs(hi))))
            {
                double middle = (lo + hi) / 2;
                lo = middle - 0.5 - 0.5 / CloudFeatureBins;
                hi = lo + 1;
            }
            double width = (hi - lo) / CloudFeatureBins;
            for (int s = 0; s < series.Count; s++)
            {
                var heights = CloudFeatures.Density(values[s], lo, hi, CloudFeatureBins);
                // A step line: each bin's height held across the bin, down to 0 at both ends.
                var xs = new List<double> { lo };
                var ys = new List<double> { 0 };
                for (int b = 0; b < CloudFeatureBins; b++)
                {
                    xs.Add(lo + b * width); ys.Add(heights[b]);
                    xs.Add(lo + (b + 1) * width); ys.Add(heights[b]);
                }
                xs.Add(hi); ys.Add(0);
                var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
                line.Color = colors[s % colors.Length];
                line.LineWidth = s == series.Count - 1 ? 2 : 1.5f;
                line.LegendText = $"{series[s].Label} ({series[s].Clouds.Count} clouds)";
            }
            plot.XLabel(features[f].Axis);
            plot.YLabel("density");
            plot.Title(f == 0 ? $"{title}: {features[f].Title}" : features[f].Title);
            plot.ShowLegend(Edge.Bottom);
        }
        return mp;
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
