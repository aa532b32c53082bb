using Repro.Core.Definitions.Json;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>
/// Denoising score matching at one noise level (Vincent 2011, eq. 5; the seed report's loss):
/// x̃ = x₀ + σε, target −ε/σ, loss the mean over batch and dimensions of (s(x̃) + ε/σ)². Its minimiser
/// is ∇log p_σ (p_σ = p₀ ∗ N(0, σ²I)), not ∇log p₀. On a target on the zero-centre-of-mass subspace
/// ε is projected there (Pε, and the target −Pε/σ), as in EDM for molecules (Hoogeboom et al. 2022).
/// </summary>
/// <param name="Sigma">σ &gt; 0 of the corruption, in the data's units.</param>
public sealed record DsmObjective(double Sigma) : ObjectiveDefinition
{
    /// <summary>JSON name.</summary>
    public const string Kind = "dsm";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override double Sigma { get; } = Sigma;

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalModel => false;

    /// <inheritdoc/>
    public override bool ProjectsNoise => true;

    /// <inheritdoc/>
    public override ObjectiveDefinition WithSigma(double sigma) => new DsmObjective(sigma);

    /// <summary>d/σ² − J(p_σ) per dimension as the runner and the calibration compute it (<see cref="LossFloor.Compute"/>: quadrature up to 2D, else Monte Carlo).</summary>
    public override LossFloorResult Floor(Mixture target, int samples, RandomStream rng) => LossFloor.Compute(target, Sigma, samples, rng);

    /// <summary>Reads <c>sigma</c> from the <c>training</c> object.</summary>
    public static DsmObjective Read(ObjectReader training) => new(training.Number("sigma", 0, 1e3, minExclusive: true));
}
