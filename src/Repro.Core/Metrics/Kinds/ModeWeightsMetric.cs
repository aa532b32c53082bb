using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Mode weights: the sample's mean responsibilities under the law against the mixture weights, tested by
/// the Wald χ² test (<see cref="ModeWeights.Test"/>). Responsibilities are taken under the law the sample
/// is compared with (under p₀ a point just past a segment's end has no segment density at all); their
/// mean equals the weights in expectation however much the components overlap.
/// </summary>
public sealed class ModeWeightsMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "mode-weights";

    /// <summary>max_c |r̄_c − w_c|.</summary>
    public static readonly MetricOutput Error = new("mode-weight-error", "largest |mean responsibility − weight| over components") { Headline = true, Gateable = true, NullLevel = 0 };

    /// <summary>Wald χ² p-value of the weights.</summary>
    public static readonly MetricOutput PValue = new("mode-weight-pvalue", "p-value of the mean-responsibility Wald χ² test of the weights (K − 1 df)") { Headline = true, Gateable = true, IsPValue = true };

    /// <summary>Mean responsibility of component c = 1..K.</summary>
    public static readonly MetricOutput Weight = new("mode-weight-{c}", "mean responsibility r̄_c of component c");

    /// <summary>Lower end of its 95% interval.</summary>
    public static readonly MetricOutput WeightLower = new("mode-weight-{c}-lower", "lower end of the 95% normal interval of r̄_c");

    /// <summary>Upper end of its 95% interval.</summary>
    public static readonly MetricOutput WeightUpper = new("mode-weight-{c}-upper", "upper end of the 95% normal interval of r̄_c");

    /// <summary>Arg-max share of component c.</summary>
    public static readonly MetricOutput Share = new("mode-share-{c}", "share of points whose most responsible component is c (descriptive: not the weight where components overlap)");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "mean responsibilities against the mixture weights, Wald χ² test";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [Error, PValue, Weight, WeightLower, WeightUpper, Share];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.ExactLaw, MetricNeed.Modes];

    /// <inheritdoc/>
    public bool AgainstSample => false;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <summary>The test itself, for callers that print its details (statistic, degrees of freedom, per-mode shares).</summary>
    public static ModeWeightsResult Test(Points x, ReferenceLaw law) =>
        ModeWeights.Test(law.Exact.Responsibilities(x, law.Smoothing), law.Exact.Weights);

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var modes = Test(x, law);
        var values = new List<(string, double)>
        {
            (Error.Name, modes.Modes.Max(m => Math.Abs(m.MeanResponsibility - m.TrueWeight))),
            (PValue.Name, modes.PValue),
        };
        for (int c = 0; c < modes.Modes.Count; c++)
        {
            values.Add((Weight.Format(c + 1), modes.Modes[c].MeanResponsibility));
            values.Add((WeightLower.Format(c + 1), modes.Modes[c].Lower));
            values.Add((WeightUpper.Format(c + 1), modes.Modes[c].Upper));
            values.Add((Share.Format(c + 1), modes.Modes[c].Share));
        }
        return values;
    }
}
