using System.Globalization;
using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Metrics;

/// <summary>
/// The law a metric compares with: a reference sample of it, and, when it is known exactly, the target
/// under a <see cref="Targets.Smoothing"/> (p_σ = p₀ ∗ N(0, σ²I); σ = 0 is p₀ itself). Against a
/// reference sample alone (two samples in <c>repro stats</c>) only metrics that declare
/// <see cref="ISampleMetric.AgainstSample"/> run.
/// </summary>
public sealed class ReferenceLaw
{
    /// <summary>A law known exactly, with a reference sample of it (n × d, the same d as the target).</summary>
    /// <param name="target">The exact target.</param>
    /// <param name="smoothing">Its smoothing.</param>
    /// <param name="sample">Draws of the smoothed target.</param>
    /// <param name="particles">The particle shape of a row (K points in m dimensions, d = K·m), or null when the data declares none.</param>
    public ReferenceLaw(Mixture target, Smoothing smoothing, Points sample, (int Count, int Space)? particles = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Dimension != target.Dimension)
            throw new ArgumentException($"reference sample has dimension {sample.Dimension}, the target {target.Dimension}", nameof(sample));
        if (particles is { } p && p.Count * p.Space != target.Dimension)
            throw new ArgumentException($"{p.Count} particles in {p.Space} dimensions do not make d = {target.Dimension}", nameof(particles));
        Target = target;
        Smoothing = smoothing;
        Sample = sample;
        Particles = particles;
    }

    /// <summary>A law known only by a sample of it (n × d).</summary>
    public ReferenceLaw(Points sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Sample = sample;
    }

    /// <summary>The exact target, or null for a law known only by its sample.</summary>
    public Mixture? Target { get; }

    /// <summary>The smoothing of <see cref="Target"/> (identity for a sample-only law).</summary>
    public Smoothing Smoothing { get; } = Smoothing.None;

    /// <summary>σ of the smoothing (0: p₀).</summary>
    public double Sigma => Smoothing.Sigma;

    /// <summary>Draws of the law (n × d).</summary>
    public Points Sample { get; }

    /// <summary>Dimension d.</summary>
    public int Dimension => Sample.Dimension;

    /// <summary>K points in m dimensions per row, or null when the data declares no particle shape.</summary>
    public (int Count, int Space)? Particles { get; }

    /// <summary>The exact target, for metrics that declared <see cref="MetricNeed.ExactLaw"/>.</summary>
    /// <exception cref="InvalidOperationException">The law is known only by a sample.</exception>
    public Mixture Exact => Target ?? throw new InvalidOperationException("the reference law is a sample, not an exact law");

    /// <summary>The law's exact score ∇log p_σ at the rows of <paramref name="x"/>.</summary>
    public Points Score(Points x) => Exact.Score(x, Smoothing);

    /// <summary>Null when the law meets <paramref name="need"/>, else why not, in words ("it has 1 component").</summary>
    public string? Lacks(MetricNeed need) => need switch
    {
        MetricNeed.ExactLaw or MetricNeed.ExactScore or MetricNeed.Modes or MetricNeed.FullDimensionalDensity or MetricNeed.HeldOutSplit or MetricNeed.RotationInvariantLaw when Target is null => "the reference is a sample, not an exact law",
        MetricNeed.ExactLaw or MetricNeed.MarginalCdf => null,
        MetricNeed.ExactScore => Target!.HasDensity(Smoothing) ? null
            : $"the target has no density at σ = {Sigma.ToString("R", CultureInfo.InvariantCulture)} (an empirical law)",
        MetricNeed.FullDimensionalDensity => !Target!.ConstrainsNoise ? null
            : "the target lives on a subspace of R^d (zero centre of mass); a full-space Stein identity does not hold there",
        MetricNeed.Modes => Target!.Components.Count > 1 ? null : $"the target has {Target.Components.Count} component; mode weights need ≥ 2",
        MetricNeed.SeveralCoordinates => Dimension > 1 ? null : "the data has one coordinate; projections need d ≥ 2",
        MetricNeed.ParticleShape => Particles is { Space: 3 } ? null : "the data declares no particle shape of points in 3 dimensions",
        MetricNeed.ZeroCentreOfMass => Target is { ConstrainsNoise: true } ? null : "the data do not live on the zero-centre-of-mass subspace",
        MetricNeed.UnsmoothedLaw => Smoothing.IsIdentity ? null
            : "it smooths p₀ itself at each level of its own σ grid, so it is computed once, against p₀",
        MetricNeed.HeldOutSplit => Target!.Split is { } split && split.Training.Dimension % 3 == 0 ? null
            : "the data is not an ensemble of conformers with a held-out split (kind \"ensemble\")",
        MetricNeed.RotationInvariantLaw => Target is { RotationInvariant: true } ? null
            : "the law is not declared invariant under rotations of the cloud (a fixed-frame ensemble or a general mixture)",
        MetricNeed.TrainedScore or MetricNeed.LangevinOnExactScore or MetricNeed.NoiseConditionalScore or MetricNeed.ProbabilityFlowOde => null,
        _ => throw new ArgumentOutOfRangeException(nameof(need), need, null),
    };
}
