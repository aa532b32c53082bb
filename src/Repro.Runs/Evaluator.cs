using System.Globalization;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;
using Repro.Results;

namespace Repro.Runs;

/// <summary>
/// Judges one seed's reconstructions against the exact truth: every metric against p₀ and against
/// p_σ (the law a sampler on a σ-score actually targets), each beside the same metric for a fresh
/// sample of that law (the null baseline), plus the learned score against ∇log p_σ and ∇log p₀.
/// Writes <c>metrics.csv</c> (long format) and the score-field tables the report plots.
/// </summary>
public sealed class Evaluator
{
    /// <summary>Reference label for p₀.</summary>
    public const string P0 = GateDefinition.P0;

    /// <summary>Reference label for p_σ.</summary>
    public const string PSigma = GateDefinition.PSigma;

    /// <summary>Prefix of the null-baseline rows (<c>null-p0</c>, <c>null-p-sigma</c>).</summary>
    public const string NullPrefix = "null-";

    readonly ExperimentDefinition _definition;
    readonly Mixture _target;
    readonly RandomStream _rng;
    readonly int _referenceSize, _permutations;
    readonly bool _quick;
    readonly Dictionary<double, (Points Reference, Points Null)> _laws = new();
    readonly Dictionary<double, IReadOnlyList<(string Metric, double Value)>> _nulls = new();

    /// <summary>Points of a sample that are judged (the definition's evaluation size; quick settings cap it).</summary>
    public int ReferenceSize => _referenceSize;

    /// <summary>An evaluator for one seed; <paramref name="rng"/> is that seed's <c>evaluate</c> stream.</summary>
    public Evaluator(ExperimentDefinition definition, Mixture target, RandomStream rng, bool quick)
    {
        _definition = definition;
        _target = target;
        _rng = rng;
        _referenceSize = quick ? Math.Min(definition.Quick.ReferenceSize, definition.Evaluation.ReferenceSize) : definition.Evaluation.ReferenceSize;
        _permutations = quick ? Math.Min(definition.Quick.Permutations, definition.Evaluation.Permutations) : definition.Evaluation.Permutations;
        _quick = quick;
    }

    /// <summary>Metric rows of one reconstruction's samples against p₀ and p_σ, with the null baselines.</summary>
    public IEnumerable<MetricRow> Reconstruction(long seed, ReconstructionDefinition rec, Points samples) =>
        Sample(seed, rec.Name, samples, rec.Sampler.TargetSigma(_definition.ScoreSigma(rec.Score)));

    /// <summary>
    /// The report's whole sample-metric suite for any sample named <paramref name="name"/> (a
    /// reconstruction, or samples from a user's own sampler): its first <see cref="ReferenceSize"/>
    /// points against p₀ and against p_σ at <paramref name="targetSigma"/>, each beside the same
    /// metrics of a fresh sample of that law (rows <c>null-p0</c>, <c>null-p-sigma</c>).
    /// </summary>
    public IEnumerable<MetricRow> Sample(long seed, string name, Points samples, double targetSigma)
    {
        var x = samples.Count > _referenceSize ? samples.Slice(0, _referenceSize) : samples;
        var rows = new List<MetricRow>();
        // Keyed by σ, not by label: when a reconstruction aims at p₀ (σ = 0) both references are
        // the same law, and its metrics are computed once.
        var bySigma = new Dictionary<double, IReadOnlyList<(string, double)>>();
        foreach (var (label, sigma) in new[] { (P0, 0.0), (PSigma, targetSigma) })
        {
            string key = sigma.ToString("R", CultureInfo.InvariantCulture);
            if (!bySigma.TryGetValue(sigma, out var values))
                bySigma[sigma] = values = Compare(x, sigma, _rng.Child(name).Child(key));
            foreach (var (metric, value) in values)
                rows.Add(new MetricRow(_definition.Name, seed, name, label, metric, value));
            rows.Add(new MetricRow(_definition.Name, seed, name, label, "sigma", sigma));
            if (!_nulls.TryGetValue(sigma, out var nulls))
                _nulls[sigma] = nulls = Compare(Law(sigma).Null, sigma, _rng.Child("null").Child(key));
            foreach (var (metric, value) in nulls)
                rows.Add(new MetricRow(_definition.Name, seed, name, NullPrefix + label, metric, value));
        }
        return rows;
    }

    /// <summary>
    /// The learned score against the truth: every registered score-source metric (<see cref="MetricCatalog"/>;
    /// the relative L2 error and Fisher divergence, and on particle data the equivariance error) on fresh points
    /// of p_σ (where DSM trains) and of p₀,
    /// after the final loss against the DSM floor. Also writes <c>score-grid.csv</c> and
    /// <c>score-error.csv</c> into <paramref name="files"/>.
    /// </summary>
    public IEnumerable<MetricRow> Training(long seed, IScoreSource learned, double finalLoss, double floor,
        double floorError, Points trainingSet, SeedFiles files)
    {
        var rows = new List<MetricRow>();
        void Add(string reference, string metric, double value) =>
            rows.Add(new MetricRow(_definition.Name, seed, MetricNames.TrainingReconstruction, reference, metric, value));

        double sigma = learned.Sigma;
        foreach (var (metric, value) in TrainingLossMetric.Values(finalLoss, floor, floorError)) Add(PSigma, metric, value);
        foreach (var (label, s) in new[] { (PSigma, sigma), (P0, 0.0) })
            foreach (var (metric, value) in MetricCatalog.Default.ScoreSource(learned, ReferenceLaw(s), Settings, _rng.Child("score").Child(label)))
                Add(label, metric, value);
        Points Learned(Points x)
        {
            var score = new double[x.Data.Length];
            learned.Score(x.Data, sigma, score);
            return new Points(score, x.Dimension);
        }
        files.WriteScoreGrid(ScoreOnGrid(Learned, sigma, trainingSet));
        files.WriteScoreError(ScoreErrorByDistance(Learned, sigma, trainingSet));
        return rows;
    }

    /// <summary>Writes the reference sample of p₀ (what the report draws beside the reconstructions).</summary>
    public void WriteReference(SeedFiles files) => files.WriteReferenceP0(Law(0).Reference);

    /// <summary>
    /// Resampling sizes of the registered metrics (quick settings cap the permutations), and the likelihood ODE
    /// (<see cref="LikelihoodSettings.Of"/>).
    /// </summary>
    MetricSettings Settings => new(_permutations, _definition.Evaluation.Projections, _definition.Evaluation.Bootstrap, _definition.Evaluation.MmdSize)
    {
        Likelihood = LikelihoodSettings.Of(_definition, _referenceSize, _quick),
    };

    /// <summary>p_σ (σ = 0: p₀) with its reference sample and the data's particle shape, as the registered metrics see it.</summary>
    ReferenceLaw ReferenceLaw(double sigma) => new(_target, Smoothing.Gaussian(sigma), Law(sigma).Reference,
        _definition.Data.Particles is { } p ? (p.Count, p.Space) : null);

    /// <summary>Every registered sample metric of <paramref name="x"/> against the law p_σ (σ = 0: p₀), in registration order.</summary>
    IReadOnlyList<(string, double)> Compare(Points x, double sigma, RandomStream rng) =>
        MetricCatalog.Default.Sample(x, ReferenceLaw(sigma), Settings, rng, _skipped);

    readonly HashSet<(IMetric Metric, string Reason)> _skipped = [];

    /// <summary>The registered sample metrics not computed so far, each with the reason the law gave (sliced KS on one coordinate, mode weights on one component).</summary>
    public IReadOnlyList<(string Kind, string Reason)> Skipped => _skipped.Select(s => (s.Metric.Kind, s.Reason)).Distinct().ToArray();

    /// <summary>The reference sample of p_σ and an independent fresh one (the null baseline), drawn once per σ.</summary>
    (Points Reference, Points Null) Law(double sigma)
    {
        if (_laws.TryGetValue(sigma, out var law)) return law;
        var stream = _rng.Child("law").Child(sigma.ToString("R", CultureInfo.InvariantCulture));
        law = (_target.Sample(_referenceSize, Smoothing.Gaussian(sigma), stream.Child("reference")),
            _target.Sample(_referenceSize, Smoothing.Gaussian(sigma), stream.Child("null")));
        _laws[sigma] = law;
        return law;
    }

    /// <summary>The learned score beside ∇log p_σ and ∇log p₀ on the grid the report draws.</summary>
    ScoreGridTable ScoreOnGrid(Func<Points, Points> learned, double sigma, Points data)
    {
        var (grid, _) = ScoreGrid.Build(data, sigma);
        // An empirical law (kind ensemble) has no density at σ = 0: its ∇log p₀ column is NaN (the page draws no field for d ≥ 3).
        var p0 = _target.HasDensity(Smoothing.None) ? _target.Score(grid, Smoothing.None)
            : new Points(Enumerable.Repeat(double.NaN, grid.Data.Length).ToArray(), grid.Dimension);
        return new ScoreGridTable(grid, learned(grid), _target.Score(grid, Smoothing.Gaussian(sigma)), p0);
    }

    /// <summary>At up to 1000 points of p_σ: the distance to the nearest training point and the score error there.</summary>
    ScoreErrorTable ScoreErrorByDistance(Func<Points, Points> learned, double sigma, Points data)
    {
        var (points, _) = Law(sigma);
        var x = points.Count > 1000 ? points.Slice(0, 1000) : points;
        var s = learned(x);
        var t = _target.Score(x, Smoothing.Gaussian(sigma));
        int d = x.Dimension;
        var distance = new double[x.Count];
        var error = new double[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < data.Count; j++)
            {
                double dist = 0;
                for (int k = 0; k < d; k++) dist += (x.Data[i * d + k] - data.Data[j * d + k]) * (x.Data[i * d + k] - data.Data[j * d + k]);
                best = Math.Min(best, dist);
            }
            double err = 0;
            for (int k = 0; k < d; k++) err += (s.Data[i * d + k] - t.Data[i * d + k]) * (s.Data[i * d + k] - t.Data[i * d + k]);
            distance[i] = Math.Sqrt(best);
            error[i] = Math.Sqrt(err);
        }
        return new ScoreErrorTable(distance, error);
    }
}
