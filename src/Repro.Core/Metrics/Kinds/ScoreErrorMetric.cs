using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// The score source at its own σ against the law's exact score on the law's reference sample: relative L2
/// error and Fisher divergence with their standard errors (<see cref="ScoreError"/>). Against p_σ it is what
/// DSM at σ trains (Vincent 2011, eq. 11); against p₀ it is what the seed report says the network learns.
/// </summary>
public sealed class ScoreErrorMetric : IScoreSourceMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "score-error";

    /// <summary>√(E‖s − ∇log p‖² / E‖∇log p‖²).</summary>
    public static readonly MetricOutput RelativeL2 = new("score-relative-l2", "relative L2 error √(E‖s − ∇log p‖² / E‖∇log p‖²) on points of the law") { Gateable = true, NullLevel = 0 };

    /// <summary>Its delta-method standard error.</summary>
    public static readonly MetricOutput RelativeL2Se = new("score-relative-l2-se", "delta-method standard error of score-relative-l2");

    /// <summary>E‖s − ∇log p‖².</summary>
    public static readonly MetricOutput FisherDivergence = new("score-fisher-divergence", "Fisher divergence E‖s − ∇log p‖² on points of the law (score units²)") { NullLevel = 0 };

    /// <summary>Its standard error.</summary>
    public static readonly MetricOutput FisherDivergenceSe = new("score-fisher-divergence-se", "standard error of score-fisher-divergence");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "score source at its σ against the exact ∇log p of the law, on the law's reference sample";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Training;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [RelativeL2, RelativeL2Se, FisherDivergence, FisherDivergenceSe];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.TrainedScore, MetricNeed.ExactLaw, MetricNeed.ExactScore];

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var points = law.Sample;
        var learned = new double[points.Data.Length];
        score.Score(points.Data, score.Sigma, learned);
        var error = ScoreError.Compute(new Points(learned, points.Dimension), law.Score(points));
        return [(RelativeL2.Name, error.RelativeL2), (RelativeL2Se.Name, error.RelativeL2StandardError),
            (FisherDivergence.Name, error.FisherDivergence), (FisherDivergenceSe.Name, error.FisherStandardError)];
    }
}
