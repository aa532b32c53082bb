using System.Globalization;
using System.Text;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

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
    /// The learned score against the truth: relative L2 and Fisher divergence on fresh points of
    /// p_σ (where DSM trains) and of p₀, and the final loss against the DSM floor.
    /// Also writes <c>score-grid.csv</c> and <c>score-error.csv</c> into <paramref name="folder"/>.
    /// </summary>
    public IEnumerable<MetricRow> Training(long seed, Func<Points, Points> learned, double sigma, double finalLoss, double floor,
        double floorError, Points trainingSet, string folder)
    {
        var rows = new List<MetricRow>();
        void Add(string reference, string metric, double value) =>
            rows.Add(new MetricRow(_definition.Name, seed, MetricNames.TrainingReconstruction, reference, metric, value));

        Add(PSigma, MetricNames.LossExcess, finalLoss - floor);
        Add(PSigma, "final-loss", finalLoss);
        Add(PSigma, "loss-floor", floor);
        Add(PSigma, "loss-floor-se", floorError);
        foreach (var (label, s) in new[] { (PSigma, sigma), (P0, 0.0) })
        {
            var (points, _) = Law(s);
            var truth = _target.Score(points, Smoothing.Gaussian(label == P0 ? 0.0 : sigma));
            var error = ScoreError.Compute(learned(points), truth);
            Add(label, MetricNames.ScoreRelativeL2, error.RelativeL2);
            Add(label, "score-relative-l2-se", error.RelativeL2StandardError);
            Add(label, "score-fisher-divergence", error.FisherDivergence);
            Add(label, "score-fisher-divergence-se", error.FisherStandardError);
        }
        WriteScoreGrid(Path.Combine(folder, "score-grid.csv"), learned, sigma, trainingSet);
        WriteScoreErrorByDistance(Path.Combine(folder, "score-error.csv"), learned, sigma, trainingSet);
        return rows;
    }

    /// <summary>Writes the reference sample of p₀ (what the report draws beside the reconstructions).</summary>
    public void WriteReference(string folder) => PointsCsv.Write(Path.Combine(folder, "reference-p0.csv"), Law(0).Reference);

    /// <summary>The sample metrics a gate may name, written as NaN for a sample that is not finite.</summary>
    static readonly string[] GatedSampleMetrics =
    [
        MetricNames.Mmd2, MetricNames.MmdPValue, MetricNames.KsStatistic, MetricNames.KsPValue, MetricNames.SlicedKsPValue,
        MetricNames.MeanError, MetricNames.CovarianceErrorRelative, MetricNames.VarianceRatioDeviation,
        MetricNames.ModeWeightError, MetricNames.ModeWeightPValue, "ksd2", MetricNames.KsdPValue,
    ];

    /// <summary>Every metric of <paramref name="x"/> against the law p_σ (σ = 0: p₀).</summary>
    IReadOnlyList<(string, double)> Compare(Points x, double sigma, RandomStream rng)
    {
        var smoothing = Smoothing.Gaussian(sigma);
        var (reference, _) = Law(sigma);
        int d = x.Dimension;
        var values = new List<(string, double)>();
        if (!x.Data.All(double.IsFinite))
        {
            // A metric of non-finite particles is not a number: every gate on it fails as NaN, none
            // reads a p-value. (The runner stops a diverged sampler before this; kept for any caller.)
            foreach (string metric in GatedSampleMetrics) values.Add((metric, double.NaN));
            return values;
        }

        int m = _definition.Evaluation.MmdSize;
        var ladder = Mmd.TestLadder(x.Count > m ? x.Slice(0, m) : x, reference.Count > m ? reference.Slice(0, m) : reference,
            _permutations, rng.Child("mmd"));
        int median = ladder.Bandwidths.Count / 2;
        values.Add((MetricNames.Mmd2, ladder.Mmd2Unbiased[median]));
        values.Add(("mmd-bandwidth", ladder.Bandwidths[median]));
        values.Add((MetricNames.MmdPValue, ladder.PValue));

        var (worstD, minP) = KolmogorovSmirnov.AgainstMarginals(x, (k, v) => _target.MarginalCdf(k, v, smoothing));
        values.Add((MetricNames.KsStatistic, worstD));
        values.Add((MetricNames.KsPValue, minP));
        if (d > 1)
        {
            var sliced = KolmogorovSmirnov.Sliced(x, reference, _definition.Evaluation.Projections, _permutations, rng.Child("sliced"));
            values.Add((MetricNames.SlicedKsPValue, sliced.PValue));
        }

        var cov = _target.Covariance(smoothing);
        var covariance = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) covariance[i, j] = cov[i * d + j];
        var moments = Moments.CompareToExact(x, _target.Mean(smoothing), covariance);
        values.Add((MetricNames.MeanError, moments.MeanError));
        values.Add((MetricNames.CovarianceErrorRelative, moments.CovarianceErrorRelative));
        values.Add((MetricNames.VarianceRatioDeviation, moments.VarianceRatio.Max(r => Math.Abs(r - 1))));
        for (int k = 0; k < d; k++) values.Add(($"variance-ratio-{k + 1}", moments.VarianceRatio[k]));

        if (_target.Components.Count > 1)
        {
            // Responsibilities under the law the sample is compared with (under p₀ a point just past the
            // segment's end has no segment density at all); their mean is tested against the weights,
            // which it equals in expectation however much the components overlap (ModeWeights).
            var modes = ModeWeights.Test(_target.Responsibilities(x, smoothing), _target.Weights);
            values.Add((MetricNames.ModeWeightError, modes.Modes.Max(m => Math.Abs(m.MeanResponsibility - m.TrueWeight))));
            values.Add((MetricNames.ModeWeightPValue, modes.PValue));
            for (int c = 0; c < modes.Modes.Count; c++)
            {
                values.Add(($"mode-weight-{c + 1}", modes.Modes[c].MeanResponsibility));
                values.Add(($"mode-weight-{c + 1}-lower", modes.Modes[c].Lower));
                values.Add(($"mode-weight-{c + 1}-upper", modes.Modes[c].Upper));
                values.Add(($"mode-share-{c + 1}", modes.Modes[c].Share));
            }
        }

        var ksd = KernelStein.Test(x, p => _target.Score(p, smoothing), _definition.Evaluation.Bootstrap, rng.Child("ksd"));
        values.Add(("ksd2", ksd.Ksd2));
        values.Add((MetricNames.KsdPValue, ksd.PValue));
        return values;
    }

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

    void WriteScoreGrid(string path, Func<Points, Points> learned, double sigma, Points data)
    {
        var (grid, _) = ScoreGrid.Build(data, sigma);
        int d = data.Dimension, count = grid.Count;
        var s = learned(grid);
        var ts = _target.Score(grid, Smoothing.Gaussian(sigma));
        var t0 = _target.Score(grid, Smoothing.None);
        var sb = new StringBuilder();
        sb.Append(string.Join(",", PointsCsv.Header(d))).Append(',').Append(string.Join(",", PointsCsv.Header(d, "learned")))
          .Append(',').Append(string.Join(",", PointsCsv.Header(d, "exact_sigma"))).Append(',').Append(string.Join(",", PointsCsv.Header(d, "exact0"))).Append('\n');
        for (int i = 0; i < count; i++)
        {
            sb.Append(string.Join(",", grid.Row(i).ToArray().Select(PointsCsv.Format))).Append(',')
              .Append(string.Join(",", s.Row(i).ToArray().Select(PointsCsv.Format))).Append(',')
              .Append(string.Join(",", ts.Row(i).ToArray().Select(PointsCsv.Format))).Append(',')
              .Append(string.Join(",", t0.Row(i).ToArray().Select(PointsCsv.Format))).Append('\n');
        }
        AtomicFile.WriteText(path, sb.ToString());
    }

    void WriteScoreErrorByDistance(string path, Func<Points, Points> learned, double sigma, Points data)
    {
        var (points, _) = Law(sigma);
        var x = points.Count > 1000 ? points.Slice(0, 1000) : points;
        var s = learned(x);
        var t = _target.Score(x, Smoothing.Gaussian(sigma));
        int d = x.Dimension;
        var sb = new StringBuilder("distance,error\n");
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
            sb.Append(PointsCsv.Format(Math.Sqrt(best))).Append(',').Append(PointsCsv.Format(Math.Sqrt(err))).Append('\n');
        }
        AtomicFile.WriteText(path, sb.ToString());
    }
}
