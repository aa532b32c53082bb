using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// The score error an equivariant network cannot go below on the law (<see cref="SymmetryFloor"/>), shown beside
/// <c>score-relative-l2</c> so that a network's error splits into what its symmetry forbids and what training left.
/// Two floors: E(3) (rotations, reflections, translations: any distance-only network whose points are told apart,
/// e.g. by residue index) and E(3) × S_K (the EGNN here, whose points all carry the same features; K ≤ 6 only).
/// Computed from the exact law alone, on the law's reference sample; the trained score is not read.
/// </summary>
public sealed class SymmetryFloorMetric : IScoreSourceMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "symmetry-floor";

    /// <summary>The E(3) floor.</summary>
    public static readonly MetricOutput E3 = new("score-floor-e3", "smallest relative L2 score error of any E(3)-equivariant, translation-invariant score on the law: √(E‖P∇log p_O(3) − ∇log p‖²/E‖∇log p‖²); a property of the law, not of the score source");

    /// <summary>Its standard error.</summary>
    public static readonly MetricOutput E3Se = new("score-floor-e3-se", "delta-method standard error of score-floor-e3");

    /// <summary>The E(3) × S_K floor.</summary>
    public static readonly MetricOutput E3Sk = new("score-floor-e3-sk", "smallest relative L2 score error of any E(3) × S_K-equivariant score (points not told apart) on the law; K ≤ 6; a property of the law, not of the score source");

    /// <summary>Its standard error.</summary>
    public static readonly MetricOutput E3SkSe = new("score-floor-e3-sk-se", "delta-method standard error of score-floor-e3-sk");

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "smallest score error an E(3)- or E(3) × S_K-equivariant network can reach on the law (its score averaged over the group)";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Training;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = [E3, E3Se, E3Sk, E3SkSe];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.ParticleShape, MetricNeed.ExactLaw, MetricNeed.ExactScore, MetricNeed.RotationInvariantLaw];

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var e3 = SymmetryFloor.Compute(law.Exact, law.Smoothing, law.Sample, permutations: false);
        var rows = new List<(string, double)> { (E3.Name, e3.RelativeL2), (E3Se.Name, e3.RelativeL2StandardError) };
        // K! grows too fast past 6 points: the permutation floor is then not reported.
        if (law.Dimension / 3 <= SymmetryFloor.MaxPermutedPoints)
        {
            var e3Sk = SymmetryFloor.Compute(law.Exact, law.Smoothing, law.Sample, permutations: true);
            rows.Add((E3Sk.Name, e3Sk.RelativeL2));
            rows.Add((E3SkSe.Name, e3Sk.RelativeL2StandardError));
        }
        return rows;
    }
}
