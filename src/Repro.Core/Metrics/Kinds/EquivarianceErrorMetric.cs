using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// How far the score source is from E(3) × S_K equivariance on clouds of the law
/// (<see cref="EquivarianceError.Measure"/>): the relative error ‖s(g·X) − g·s(X)‖/‖s(X)‖ over
/// <see cref="EquivarianceError.MinDraws"/> random group elements per family, acting on up to
/// <see cref="Clouds"/> clouds of the law's reference sample, at the source's σ. Needs a particle shape of
/// points in 3 dimensions; an EGNN (Satorras et al. 2021) is equivariant by construction, a flat MLP is not.
/// </summary>
public sealed class EquivarianceErrorMetric : IScoreSourceMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "equivariance-error";

    /// <summary>Clouds of the reference sample each group element acts on.</summary>
    public const int Clouds = 64;

    /// <summary>Largest error over Haar rotations.</summary>
    public static readonly MetricOutput Rotation = new("equivariance-error-rotation", "largest relative error ‖s(g·X) − g·s(X)‖/‖s(X)‖ over Haar rotations g and clouds X") { Gateable = true, NullLevel = 0 };

    /// <summary>Its 99th percentile.</summary>
    public static readonly MetricOutput RotationP99 = new("equivariance-error-rotation-p99", "99th percentile of the rotation error") { NullLevel = 0 };

    /// <summary>Largest error over reflections (improper rotations).</summary>
    public static readonly MetricOutput Reflection = new("equivariance-error-reflection", "largest relative error over Haar-random reflections") { Gateable = true, NullLevel = 0 };

    /// <summary>Its 99th percentile.</summary>
    public static readonly MetricOutput ReflectionP99 = new("equivariance-error-reflection-p99", "99th percentile of the reflection error") { NullLevel = 0 };

    /// <summary>Largest error over translations at the cloud's scale.</summary>
    public static readonly MetricOutput Translation = new("equivariance-error-translation", "largest relative error over translations N(0, r²I₃), r the cloud's RMS radius") { Gateable = true, NullLevel = 0 };

    /// <summary>Its 99th percentile.</summary>
    public static readonly MetricOutput TranslationP99 = new("equivariance-error-translation-p99", "99th percentile of the translation error") { NullLevel = 0 };

    /// <summary>Largest error over permutations of the points.</summary>
    public static readonly MetricOutput Permutation = new("equivariance-error-permutation", "largest relative error over uniform permutations of the K points") { Gateable = true, NullLevel = 0 };

    /// <summary>Its 99th percentile.</summary>
    public static readonly MetricOutput PermutationP99 = new("equivariance-error-permutation-p99", "99th percentile of the permutation error") { NullLevel = 0 };

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "relative E(3) × S_K equivariance error of the score source by rotations, reflections, translations and permutations";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Training;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } =
        [Rotation, RotationP99, Reflection, ReflectionP99, Translation, TranslationP99, Permutation, PermutationP99];

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } = [MetricNeed.TrainedScore, MetricNeed.ParticleShape];

    /// <inheritdoc/>
    public IEnumerable<(string Metric, double Value)> Compute(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        var clouds = law.Sample.Count > Clouds ? law.Sample.Slice(0, Clouds) : law.Sample;
        var e = EquivarianceError.Measure(score, clouds, score.Sigma, EquivarianceError.MinDraws, rng.Child("equivariance"));
        return [(Rotation.Name, e.Rotation.Max), (RotationP99.Name, e.Rotation.P99), (Reflection.Name, e.Reflection.Max), (ReflectionP99.Name, e.Reflection.P99),
            (Translation.Name, e.Translation.Max), (TranslationP99.Name, e.Translation.P99), (Permutation.Name, e.Permutation.Max), (PermutationP99.Name, e.Permutation.P99)];
    }
}
