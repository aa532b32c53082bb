namespace Repro.Core.Metrics;

/// <summary>
/// Something a metric needs of the law it compares with, or of the experiment it is gated in. A metric
/// whose need is not met is skipped with the reason <see cref="ReferenceLaw.Lacks"/> (or the definition's
/// gate check) states, never computed on something it cannot judge.
/// </summary>
public enum MetricNeed
{
    /// <summary>The exact law (a target's truth), not only a reference sample: mode weights, KSD, exact moments.</summary>
    ExactLaw,

    /// <summary>Exact marginal CDFs P(X_k ≤ v) of the law (one-sample KS); against a reference sample the metric falls back to its two-sample form.</summary>
    MarginalCdf,

    /// <summary>An exact log-density and score of the law at its σ (at σ = 0 the target's own log p₀): KSD, score errors.</summary>
    ExactScore,

    /// <summary>A density on all of R^d, not on a subspace (the zero-centre-of-mass cloud): the full-space Stein identity of KSD.</summary>
    FullDimensionalDensity,

    /// <summary>Mode structure: a mixture of at least two components (mode weights).</summary>
    Modes,

    /// <summary>At least two coordinates (sliced KS over random directions).</summary>
    SeveralCoordinates,

    /// <summary>A particle shape: the d coordinates are K points in 3 dimensions (equivariance).</summary>
    ParticleShape,

    /// <summary>Data on the zero-centre-of-mass subspace (a centred cloud kind), whose samplers project their noise there.</summary>
    ZeroCentreOfMass,

    /// <summary>A trained score network (training metrics, gated under reconstruction <c>training</c>).</summary>
    TrainedScore,

    /// <summary>A score source that answers at every σ (a noise-conditional network, or the exact score): checked against the source, not the law.</summary>
    NoiseConditionalScore,

    /// <summary>The law p₀ itself (σ = 0): the metric smooths it at the levels of its own σ grid.</summary>
    UnsmoothedLaw,

    /// <summary>A reconstruction that makes Langevin moves on the exact score (the Metropolis–Hastings check).</summary>
    LangevinOnExactScore,

    /// <summary>
    /// A data-set ensemble with held-out conformers (kind <c>ensemble</c>, <see cref="Targets.ITrainingSplit"/>): clouds of K
    /// points in R³ read as a chain in row order, compared with the held-out conformers and with the training ones.
    /// </summary>
    HeldOutSplit,

    /// <summary>
    /// A law invariant under rotations of the cloud (every component declares <see cref="Targets.IComponent.RotationInvariant"/>):
    /// the symmetry floor averages over O(3) modulo SO(3) only, which needs the SO(3) average to be the law itself.
    /// </summary>
    RotationInvariantLaw,

    /// <summary>
    /// A probability-flow ODE to integrate (<see cref="MetricSettings.Likelihood"/>): the experiment's own probability-flow
    /// reconstruction, whose schedule, step count and method the likelihood uses.
    /// </summary>
    ProbabilityFlowOde,
}
