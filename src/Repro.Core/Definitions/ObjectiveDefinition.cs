using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>
/// A training objective, named by <c>training.objective</c> and registered in
/// <see cref="Catalog.Objectives"/>; its parameters sit beside that name in the <c>training</c> object.
/// The loss itself is computed in Repro.Training, whose objective catalog maps each kind to its loss.
/// </summary>
public abstract record ObjectiveDefinition
{
    /// <summary>The JSON name (the value of <c>training.objective</c>).</summary>
    public abstract string KindName { get; }

    /// <summary>
    /// The noise level the trained score is read at: the one σ of single-level DSM, where the learned
    /// score, the loss floor and the score error are evaluated.
    /// </summary>
    public abstract double Sigma { get; }

    /// <summary>True when the objective trains every σ at once and so needs a noise-conditional model.</summary>
    public abstract bool NeedsNoiseConditionalModel { get; }

    /// <summary>
    /// The per-dimension loss a perfect score s = ∇log p_σ attains under this objective, estimated with
    /// <paramref name="samples"/> draws from <paramref name="rng"/>: the final loss minus it is the
    /// (λ-weighted) Fisher divergence the network has left.
    /// </summary>
    public abstract LossFloorResult Floor(Mixture target, int samples, RandomStream rng);

    /// <summary>
    /// True when the objective's noise is projected onto a target's state space (zero centre of mass) and its
    /// loss floor counts that subspace's degrees of freedom; an objective that does not cannot train on such data.
    /// </summary>
    public virtual bool ProjectsNoise => false;

    /// <summary>The same objective at another <see cref="Sigma"/> (sweeps, and the wrong-σ fault).</summary>
    public abstract ObjectiveDefinition WithSigma(double sigma);
}
