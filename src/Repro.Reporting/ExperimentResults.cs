using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Core.Targets;
using Repro.Results;

namespace Repro.Reporting;

/// <summary>
/// Everything stored for one experiment: its definition, the run record and metric rows of
/// each seed, and the gate verdicts. Read from disk; never trains or samples.
/// </summary>
public sealed class ExperimentResults
{
    /// <summary>The definition the results were made from.</summary>
    public ExperimentDefinition Definition { get; }

    /// <summary>Run records by seed, in the definition's seed order.</summary>
    public IReadOnlyList<RunRecord> Runs { get; }

    /// <summary>Every metric row of every finished seed.</summary>
    public IReadOnlyList<MetricRow> Rows { get; }

    /// <summary>Gate verdicts over the seeds.</summary>
    public IReadOnlyList<GateVerdict> Verdicts { get; }

    /// <summary>Folder of the experiment's results.</summary>
    public string Folder { get; }

    /// <summary>Where the results were read from (folder, quick or full).</summary>
    public ResultsLayout Layout { get; }

    /// <summary>The results of each sweep variant (empty without a sweep).</summary>
    public IReadOnlyList<(SweepVariant Variant, ExperimentResults Results)> Sweep { get; private init; } = [];

    /// <summary>
    /// The sweep variants' seeds without a finished, current result (a variant in <see cref="Sweep"/> is read over
    /// the seeds it has; one with none is only here): what the page names as not run.
    /// </summary>
    public IReadOnlyList<(SweepVariant Variant, IReadOnlyList<long> Seeds)> SweepMissing { get; private init; } = [];

    readonly Dictionary<(long, string, string, string), double> _index;
    readonly Dictionary<string, IReadOnlyList<(long Seed, double[] Steps, double[][] Ratio)>> _traces = new(StringComparer.Ordinal);

    /// <summary>The exact target the experiment's data come from.</summary>
    public Mixture Target => _target ??= Definition.Data.BuildTarget();
    Mixture? _target;

    ExperimentResults(ExperimentDefinition definition, IReadOnlyList<RunRecord> runs, IReadOnlyList<MetricRow> rows, ResultsLayout layout)
    {
        Definition = definition;
        Runs = runs;
        Rows = rows;
        // The report asks for hundreds of (seed, reconstruction, reference, metric) values: index once.
        _index = rows.GroupBy(r => (r.Seed, r.Reconstruction, r.Reference, r.Metric)).ToDictionary(g => g.Key, g => g.First().Value);
        Layout = layout;
        Folder = layout.ExperimentFolder(definition.Name);
        Verdicts = DivergedVerdicts.Mark(GateEvaluator.Evaluate(definition, definition.Seeds, rows, layout.Quick), runs.ToDictionary(r => r.Seed));
    }

    /// <summary>
    /// Loads the stored results of every seed; throws when one is missing or stale. Sweep variants carry no
    /// gates: each is read over the seeds it has, and the seeds it lacks are listed in <see cref="SweepMissing"/>.
    /// </summary>
    public static ExperimentResults Load(ExperimentDefinition definition, ResultsLayout layout)
    {
        var rows = ResultsStore.ReadMetrics(definition, layout, definition.Seeds);
        var runs = definition.Seeds.Select(s => ResultsStore.ReadRun(layout.SeedFolder(definition.Name, s))!).ToArray();
        var sweep = new List<(SweepVariant, ExperimentResults)>();
        var sweepMissing = new List<(SweepVariant, IReadOnlyList<long>)>();
        foreach (var v in definition.Variants())
        {
            var present = v.Definition.Seeds.Where(seed => Has(v.Definition, layout, seed)).ToArray();
            if (present.Length > 0) sweep.Add((v, Load(v.Definition with { Seeds = present }, layout)));
            if (present.Length < v.Definition.Seeds.Count) sweepMissing.Add((v, v.Definition.Seeds.Except(present).ToArray()));
        }
        return new ExperimentResults(definition, runs, rows, layout) { Sweep = sweep, SweepMissing = sweepMissing };
    }

    static bool Has(ExperimentDefinition definition, ResultsLayout layout, long seed)
    {
        try
        {
            ResultsStore.ReadMetrics(definition, layout, [seed]);
            return true;
        }
        catch (MissingResultException)
        {
            return false;
        }
    }

    /// <summary>Folder of one seed.</summary>
    public string SeedFolder(long seed) => Layout.SeedFolder(Definition.Name, seed);

    /// <summary>The stored files of one seed.</summary>
    public SeedFiles Files(long seed) => new(SeedFolder(seed));

    /// <summary>The metric's value for each seed (NaN where missing).</summary>
    public double[] Values(string reconstruction, string reference, string metric) =>
        Definition.Seeds.Select(seed => _index.TryGetValue((seed, reconstruction, reference, metric), out double v) ? v : double.NaN).ToArray();

    /// <summary>Mean and 95% interval over seeds of a metric.</summary>
    public Estimate Estimate(string reconstruction, string reference, string metric) =>
        Reporting.Estimate.Of(Values(reconstruction, reference, metric));

    /// <summary>
    /// A metric over seeds as the report prints it: a p-value as its per-seed values, minimum and
    /// (with <paramref name="threshold"/>) the count below it (<see cref="PValueSummary"/>); any other
    /// metric as mean ± 95% interval, formatted with <paramref name="format"/>.
    /// </summary>
    public string Summary(string reconstruction, string reference, string metric, double? threshold = null, string format = "G3") =>
        PValueSummary.IsPValue(metric)
            ? PValues(reconstruction, reference, metric, threshold).ToString()
            : Estimate(reconstruction, reference, metric).Format(format);

    /// <summary>The per-seed p-values of a metric, with B when they are Monte Carlo p-values.</summary>
    public PValueSummary PValues(string reconstruction, string reference, string metric, double? threshold = null) =>
        new(Values(reconstruction, reference, metric), PValueSummary.ResamplesOf(metric, Definition, Layout.Quick), threshold);

    /// <summary>
    /// How a reconstruction's spread evolved with the step count, per seed: the traced steps and,
    /// per coordinate k, Var_k(step) / Var_k(p_σ) with σ the sampler's target, over the seeds that
    /// finished. Empty when the reconstruction was not traced (not a Langevin sampler, or results
    /// from before tracing).
    /// </summary>
    public IReadOnlyList<(long Seed, double[] Steps, double[][] Ratio)> VarianceRatioTrace(string reconstruction)
    {
        // The page and two claims ask for the same trace: read each one once.
        if (_traces.TryGetValue(reconstruction, out var cached)) return cached;
        var rec = Definition.Reconstructions.Single(r => r.Name == reconstruction);
        double sigma = rec.Sampler.TargetSigma(Definition.ScoreSigma(rec.Score));
        int d = Definition.Data.Dimension;
        var covariance = Target.Covariance(Smoothing.Gaussian(sigma));
        var traces = new List<(long, double[], double[][])>();
        foreach (long seed in Runs.Where(r => r.Finished).Select(r => r.Seed))
        {
            if (Files(seed).ReadMoments(reconstruction) is not { } moments) { traces.Clear(); break; }
            if (moments.Dimension != d)
                throw new Core.InputException($"{Files(seed).PathOf(SeedFiles.Moments(reconstruction))}: {moments.Dimension} coordinates, but {Definition.Name} has d = {d}");
            var rows = moments.Rows;
            var ratio = Enumerable.Range(0, d).Select(k => rows.Select(r => r.Variance[k] / covariance[k * d + k]).ToArray()).ToArray();
            traces.Add((seed, rows.Select(r => (double)r.Step).ToArray(), ratio));
        }
        return _traces[reconstruction] = traces;
    }

    /// <summary>
    /// Per seed that finished, the components as a stored point set of a reconstruction shows them
    /// (<paramref name="file"/> <c>samples</c> or <c>start</c>), assigned under p_σ with σ the sampler's target.
    /// Empty when a seed's file is missing.
    /// </summary>
    public IReadOnlyList<(long Seed, IReadOnlyList<ComponentShape> Shapes)> Shapes(string reconstruction, string file = "samples")
    {
        string key = file + "/" + reconstruction;
        if (_shapes.TryGetValue(key, out var cached)) return cached;
        var rec = Definition.Reconstructions.Single(r => r.Name == reconstruction);
        var smoothing = Smoothing.Gaussian(rec.Sampler.TargetSigma(Definition.ScoreSigma(rec.Score)));
        var result = new List<(long, IReadOnlyList<ComponentShape>)>();
        foreach (long seed in Runs.Where(r => r.Finished).Select(r => r.Seed))
        {
            var files = Files(seed);
            bool samples = file == "samples";
            if (!files.Has(samples ? SeedFiles.Samples(reconstruction) : SeedFiles.Start(reconstruction))) { result.Clear(); break; }
            var points = samples ? files.ReadSamples(reconstruction, Definition.Data.Dimension) : files.ReadStart(reconstruction, Definition.Data.Dimension);
            result.Add((seed, ComponentShape.Of(Target, points, smoothing)));
        }
        return _shapes[key] = result;
    }

    readonly Dictionary<string, IReadOnlyList<(long Seed, IReadOnlyList<ComponentShape> Shapes)>> _shapes = new(StringComparer.Ordinal);

    /// <summary>The threshold of the definition's gate on (reconstruction, metric), or <paramref name="fallback"/> without one.</summary>
    public double GateThreshold(string reconstruction, string metric, double fallback) =>
        Definition.Gates.FirstOrDefault(g => g.Reconstruction == reconstruction && g.Metric == metric)?.Threshold ?? fallback;

    /// <summary>Index of the first traced step at or past <paramref name="fraction"/> of the run.</summary>
    public static int StepIndex(double[] steps, double fraction) => Array.FindIndex(steps, s => s >= fraction * steps[^1]);
}
