using Repro.Core.Metrics;

namespace Repro.Reporting.Diff;

/// <summary>
/// Per-metric tolerances for two results folders that need not agree to the bit (another thread count,
/// other packages, another CPU): a metric value is judged against what its null spread makes meaningful,
/// never digit by digit. The rules, by metric kind (<see cref="MetricCatalog"/>):
/// <list type="bullet">
/// <item>p-values compare verdicts: within when both are below <see cref="Alpha"/> or both are not;</item>
/// <item>a sample metric with null baselines (the rows <c>null-p0</c>, <c>null-p-sigma</c>: the metric of a
/// fresh exact sample of the same size, one per seed): |new − base| ≤ <see cref="Multiple"/> · s, where s is
/// the base's null spread of that metric for that experiment and σ: the root mean square of (null value −
/// null level) over seeds when the metric declares a null level (distances: 0, variance ratios: 1), else
/// the standard deviation of the null values over seeds;</item>
/// <item>an estimate stored with its standard error (<c>NAME-se</c>: the score errors, the loss floor):
/// |new − base| ≤ <see cref="Multiple"/> · √(se_base² + se_new²), the Monte Carlo spread of the difference;</item>
/// <item><c>sigma</c> is a setting: bit-identity;</item>
/// <item>anything else (the final loss, the loss excess, <c>mh-rejection</c>, the standard errors
/// themselves) has no null spread: listed when it moves, never beyond (the gates judge it).</item>
/// </list>
/// A value that becomes NaN or infinite, or stops being so, is always beyond. Stored files other than the
/// metrics (samples, weights, traces) are not judged digit by digit under these tolerances: the metrics
/// computed from them are.
/// </summary>
public sealed class NullSpreadTolerance
{
    /// <summary>How many null spreads (or combined standard errors) a value may move.</summary>
    public const double Multiple = 3;

    /// <summary>The level at which p-values are read as verdicts (<c>repro stats</c> and <c>sample-check</c>'s default).</summary>
    public const double Alpha = 0.01;

    const string NullPrefix = "null-", Sigma = "sigma", StandardErrorSuffix = "-se";

    /// <summary>The base's null spread per (experiment, σ of the reference law, metric).</summary>
    readonly Dictionary<(string Experiment, double Sigma, string Metric), double> _spread;

    NullSpreadTolerance(Dictionary<(string, double, string), double> spread) => _spread = spread;

    /// <summary>What a metric value was judged by.</summary>
    /// <param name="Within">True when the move is within tolerance.</param>
    /// <param name="Rule">The rule, e.g. <c>3 × null spread</c>.</param>
    /// <param name="Allowance">The largest |new − base| the rule allows (null for verdicts and unjudged metrics).</param>
    public sealed record Judgement(bool Within, string Rule, double? Allowance);

    /// <summary>The rule names, as the output states them.</summary>
    public static readonly string VerdictRule = $"verdict at α = {Alpha}", SpreadRule = $"{Multiple} × null spread",
        StandardErrorRule = $"{Multiple} × combined standard error", ExactRule = "bit-identity (a setting)",
        NotJudgedRule = "not judged by value (no null spread; only a gate on it can fail)";

    /// <summary>
    /// The null spreads of the base folder's metric rows (every seed's <c>metrics.csv</c>, keyed by
    /// experiment, seed, reconstruction, reference and metric).
    /// </summary>
    public static NullSpreadTolerance FromBase(IEnumerable<IReadOnlyDictionary<(string, long, string, string, string), double>> seeds)
    {
        var nulls = new Dictionary<(string, double, string), SortedDictionary<long, double>>();
        foreach (var rows in seeds)
            foreach (var ((experiment, seed, reconstruction, reference, metric), value) in rows)
            {
                if (!reference.StartsWith(NullPrefix, StringComparison.Ordinal) || !double.IsFinite(value)) continue;
                if (!rows.TryGetValue((experiment, seed, reconstruction, reference[NullPrefix.Length..], Sigma), out double sigma)) continue;
                var key = (experiment, sigma, metric);
                if (!nulls.TryGetValue(key, out var bySeed)) nulls[key] = bySeed = [];
                bySeed.TryAdd(seed, value); // one null sample per seed and σ, repeated beside every reconstruction
            }
        var spread = new Dictionary<(string, double, string), double>();
        foreach (var (key, bySeed) in nulls)
        {
            var values = bySeed.Values.ToArray();
            double? level = MetricCatalog.Default.Find(key.Item3)?.Output.NullLevel;
            double s = level is double l
                ? Math.Sqrt(values.Average(v => (v - l) * (v - l)))
                : values.Length >= 2 ? StandardDeviation(values) : 0;
            if (s > 0) spread[key] = s;
        }
        return new NullSpreadTolerance(spread);
    }

    static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    /// <summary>
    /// Judges the metric row <paramref name="key"/> moving from <paramref name="baseValue"/> to
    /// <paramref name="newValue"/>; <paramref name="baseRows"/> and <paramref name="newRows"/> are the rows
    /// of its seed on each side (for σ and standard errors).
    /// </summary>
    public Judgement Judge((string Experiment, long Seed, string Reconstruction, string Reference, string Metric) key, double baseValue, double newValue,
        IReadOnlyDictionary<(string, long, string, string, string), double> baseRows, IReadOnlyDictionary<(string, long, string, string, string), double> newRows)
    {
        var (experiment, seed, reconstruction, reference, metric) = key;
        bool same = DiffTolerance.BitIdentical(baseValue, newValue);
        bool finite = double.IsFinite(baseValue) && double.IsFinite(newValue);
        if (metric == Sigma) return new Judgement(same, ExactRule, 0);
        if (MetricCatalog.Default.Find(metric)?.Output.IsPValue == true)
            return new Judgement(same || (finite && baseValue < Alpha == newValue < Alpha), VerdictRule, null);
        string law = reference.StartsWith(NullPrefix, StringComparison.Ordinal) ? reference[NullPrefix.Length..] : reference;
        if (baseRows.TryGetValue((experiment, seed, reconstruction, law, Sigma), out double sigma) && _spread.TryGetValue((experiment, sigma, metric), out double s))
            return Within(Multiple * s, SpreadRule);
        if (baseRows.TryGetValue((experiment, seed, reconstruction, reference, metric + StandardErrorSuffix), out double seBase)
            && newRows.TryGetValue((experiment, seed, reconstruction, reference, metric + StandardErrorSuffix), out double seNew)
            && double.IsFinite(seBase) && double.IsFinite(seNew) && seBase + seNew > 0)
            return Within(Multiple * Math.Sqrt(seBase * seBase + seNew * seNew), StandardErrorRule);
        return new Judgement(same || finite, NotJudgedRule, null);

        Judgement Within(double allowance, string rule) =>
            new(same || (finite && Math.Abs(newValue - baseValue) <= allowance), rule, allowance);
    }
}
