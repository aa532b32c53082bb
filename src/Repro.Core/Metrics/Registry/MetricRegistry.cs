using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// The registered metric kinds in registration order, which is the order of their rows in
/// <c>metrics.csv</c>. A kind registered twice, or an output name two kinds would both produce, throws
/// at start-up.
/// </summary>
public sealed class MetricRegistry
{
    readonly List<IMetric> _metrics = [];

    /// <summary>Registers one metric kind.</summary>
    /// <exception cref="InvalidOperationException">Its kind or one of its output names is taken.</exception>
    public MetricRegistry Add(IMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (_metrics.Any(m => m.Kind == metric.Kind))
            throw new InvalidOperationException($"metric kind \"{metric.Kind}\" is registered twice");
        foreach (var output in metric.Outputs)
            foreach (var other in _metrics.Concat([metric]).SelectMany(m => m.Outputs.Select(o => (m, o))))
            {
                if (ReferenceEquals(other.o, output)) continue;
                bool clash = output.Name == other.o.Name || (!output.IsPattern && other.o.Matches(output.Name)) || (!other.o.IsPattern && output.Matches(other.o.Name));
                if (clash)
                    throw new InvalidOperationException($"metric output \"{output.Name}\" of \"{metric.Kind}\" collides with \"{other.o.Name}\" of \"{other.m.Kind}\"");
            }
        _metrics.Add(metric);
        return this;
    }

    /// <summary>Every kind, in registration order.</summary>
    public IReadOnlyList<IMetric> Metrics => _metrics;

    /// <summary>The sample metrics, in registration order.</summary>
    public IEnumerable<ISampleMetric> SampleMetrics => _metrics.OfType<ISampleMetric>();

    /// <summary>The score-source metrics, in registration order.</summary>
    public IEnumerable<IScoreSourceMetric> ScoreSourceMetrics => _metrics.OfType<IScoreSourceMetric>();

    /// <summary>The kind named <paramref name="kind"/>, or null.</summary>
    public IMetric? Kind(string kind) => _metrics.FirstOrDefault(m => m.Kind == kind);

    /// <summary>The metric and output a row name belongs to (a fixed name, or an index of a pattern), or null.</summary>
    public (IMetric Metric, MetricOutput Output)? Find(string name)
    {
        foreach (var m in _metrics)
            foreach (var o in m.Outputs)
                if (o.Matches(name)) return (m, o);
        return null;
    }

    /// <summary>Every name a gate may use (fixed, gateable outputs), in registration order: the schema's metric enum.</summary>
    public IReadOnlyList<string> GateableNames =>
        _metrics.SelectMany(m => m.Outputs).Where(o => o.Gateable && !o.IsPattern).Select(o => o.Name).ToArray();

    /// <summary>The names the report tabulates per reconstruction (<see cref="MetricOutput.Headline"/>), in registration order.</summary>
    public IReadOnlyList<string> HeadlineNames =>
        SampleMetrics.SelectMany(m => m.Outputs).Where(o => o.Headline && !o.IsPattern).Select(o => o.Name).ToArray();

    /// <summary>The first need of <paramref name="metric"/> that <paramref name="law"/> lacks, as "needs …: reason", or null when it can run.</summary>
    public static string? WhySkipped(IMetric metric, ReferenceLaw law)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(law);
        if (law.Target is null && metric is ISampleMetric { AgainstSample: false })
            return "needs an exact law: the reference is a sample";
        foreach (var need in metric.Needs)
            if (law.Lacks(need) is { } reason) return reason;
        return null;
    }

    /// <summary>
    /// <see cref="WhySkipped(IMetric, ReferenceLaw)"/>, and also what the evaluation's <paramref name="settings"/> must
    /// supply (the probability-flow ODE of <see cref="MetricNeed.ProbabilityFlowOde"/>).
    /// </summary>
    public static string? WhySkipped(IMetric metric, ReferenceLaw law, MetricSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (WhySkipped(metric, law) is { } reason) return reason;
        if (metric.Needs.Contains(MetricNeed.ProbabilityFlowOde) && settings.Likelihood is null)
            return "needs a probability-flow ODE to integrate: the experiment has no probability-flow reconstruction";
        return null;
    }

    /// <summary>
    /// Every applicable sample metric of <paramref name="x"/> against <paramref name="law"/>, in registration
    /// order; the skipped ones are added to <paramref name="skipped"/> with their reason. A sample with a
    /// non-finite value is not judged: every fixed output of each applicable metric is NaN, so every gate
    /// on it fails as NaN and none reads a p-value.
    /// </summary>
    public IReadOnlyList<(string Metric, double Value)> Sample(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng,
        ICollection<(IMetric Metric, string Reason)>? skipped = null, Func<ISampleMetric, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool finite = x.Data.All(double.IsFinite);
        var values = new List<(string, double)>();
        foreach (var metric in SampleMetrics)
        {
            if (include is not null && !include(metric)) continue;
            if (WhySkipped(metric, law) is { } reason)
            {
                skipped?.Add((metric, reason));
                continue;
            }
            if (finite) values.AddRange(metric.Compute(x, law, settings, rng));
            else values.AddRange(metric.Outputs.Where(o => !o.IsPattern).Select(o => (o.Name, double.NaN)));
        }
        return values;
    }

    /// <summary>Every applicable score-source metric of <paramref name="score"/> on <paramref name="law"/>, in registration order; skipped ones with their reason.</summary>
    public IReadOnlyList<(string Metric, double Value)> ScoreSource(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng,
        ICollection<(IMetric Metric, string Reason)>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        var values = new List<(string, double)>();
        foreach (var metric in ScoreSourceMetrics)
        {
            if (metric.Needs.Contains(MetricNeed.NoiseConditionalScore) && !score.IsNoiseConditional)
            {
                skipped?.Add((metric, $"needs a noise-conditional score: this one answers at one σ only (σ = {score.Sigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})"));
                continue;
            }
            if (WhySkipped(metric, law, settings) is { } reason)
            {
                skipped?.Add((metric, reason));
                continue;
            }
            values.AddRange(metric.Compute(score, law, settings, rng));
        }
        return values;
    }
}
