using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// First and second moments against the law's exact mean and covariance (<see cref="Moments.CompareToExact"/>),
/// or against a reference sample's (<see cref="Moments.Compare"/>): descriptive, no p-value.
/// </summary>
public sealed class MomentsMetric : ISampleMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "moments";

    /// <summary>‖μ̂ − μ‖₂.</summary>
    public static readonly MetricOutput MeanError = new("mean-error", "‖μ̂ − μ‖₂ (a length)") { Headline = true, Gateable = true, NullLevel = 0 };

    /// <summary>‖Σ̂ − Σ‖_F / ‖Σ‖_F.</summary>
    public static readonly MetricOutput CovarianceErrorRelative = new("covariance-error-relative", "‖Σ̂ − Σ‖_F / ‖Σ‖_F (dimensionless)") { Gateable = true, NullLevel = 0 };

    /// <summary>max_k |Σ̂_kk/Σ_kk − 1|.</summary>
    public static readonly MetricOutput VarianceRatioDeviation = new("variance-ratio-deviation", "largest |variance ratio − 1| over coordinates") { Headline = true, Gateable = true, NullLevel = 0 };

    /// <summary>Σ̂_kk / Σ_kk of coordinate k = 1..d.</summary>
    public static readonly MetricOutput VarianceRatio = new("variance-ratio-{k}", "variance ratio Σ̂_kk / Σ_kk of coordinate k") { NullLevel = 1 };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "mean and covariance against the law's exact moments, or against a reference sample's when only a sample is known";

    /// <inheritdoc/>
    public string Describe(ReferenceLaw law) => law.Target is not null
        ? "mean and covariance against the law's exact mean and covariance"
        : $"mean and covariance against those of the second sample (n = {law.Sample.Count}; two-sample)";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [MeanError, CovarianceErrorRelative, VarianceRatioDeviation, VarianceRatio];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [];

    /// <inheritdoc/>
    public bool AgainstSample => true;

    /// <inheritdoc/>
    public bool Resamples => false;

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(Points x, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        int d = x.Dimension;
        MomentsResult moments;
        if (law.Target is { } target)
        {
            var cov = target.Covariance(law.Smoothing);
            var covariance = new double[d, d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) covariance[i, j] = cov[i * d + j];
            moments = Moments.CompareToExact(x, target.Mean(law.Smoothing), covariance);
        }
        else
        {
            moments = Moments.Compare(x, law.Sample);
        }
        var values = new List<(string, double)>
        {
            (MeanError.Name, moments.MeanError),
            (CovarianceErrorRelative.Name, moments.CovarianceErrorRelative),
            (VarianceRatioDeviation.Name, moments.VarianceRatio.Max(r => Math.Abs(r - 1))),
        };
        for (int k = 0; k < d; k++) values.Add((VarianceRatio.Format(k + 1), moments.VarianceRatio[k]));
        return values;
    }
}
