using MathNet.Numerics.Distributions;
using Repro.Core.Definitions.Json;
using Repro.Core.Random;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>
/// Denoising score matching over a diffusion schedule (Song et al. 2021, eq. 7; Karras et al. 2022, eq. 2
/// and Table 1): one noise-conditional network trained at every level at once. Each row draws a level σ̃
/// and ε ~ N(0, I) and is scored by λ(σ̃)·‖s_θ(x₀ + σ̃ε, σ̃) + ε/σ̃‖², averaged over batch and dimensions.
/// σ̃ = σ(t)/a(t) is the schedule's level in σ-space: x_t = a(x₀ + σ̃ε) and ∇log p_t(x) = (1/a)∇log p_σ̃(x/a),
/// so score_sde's λ(t)‖∇log p_t − target‖² with λ = σ_t² is exactly σ̃²‖s(·, σ̃) + ε/σ̃‖² in σ-space.
/// Its minimiser is ∇log p_σ̃ at every σ̃, and its floor is E_σ̃[λ(σ̃)(d/σ̃² − J(p_σ̃))]/d (<see cref="Floor"/>).
/// </summary>
/// <param name="Schedule">The forward process whose levels are trained.</param>
/// <param name="Levels"><see cref="UniformTime"/> (t ~ U[ε, T], score_sde) or <see cref="LogNormal"/> (ln σ̃ ~ N(P_mean, P_std²), EDM).</param>
/// <param name="PMean">P_mean of the log-normal levels (EDM: −1.2).</param>
/// <param name="PStd">P_std &gt; 0 of the log-normal levels (EDM: 1.2).</param>
/// <param name="Weighting"><see cref="SigmaSquared"/> (λ = σ̃², NCSN / score_sde) or <see cref="Edm"/> (λ = σ̃²(σ̃² + σ_d²)/σ_d², EDM's λ in score units).</param>
/// <param name="SigmaData">σ_data of EDM's weighting (0 with σ² weighting).</param>
public sealed record ScheduleDsmObjective(Schedule Schedule, string Levels, double PMean, double PStd, string Weighting, double SigmaData)
    : ObjectiveDefinition
{
    /// <summary>JSON name.</summary>
    public const string Kind = "schedule-dsm";

    /// <summary>Levels from t uniform on the schedule's [ε, T].</summary>
    public const string UniformTime = "uniform-time";

    /// <summary>EDM's log-normal levels.</summary>
    public const string LogNormal = "log-normal";

    /// <summary>λ(σ) = σ².</summary>
    public const string SigmaSquared = "sigma-squared";

    /// <summary>EDM's λ(σ) = (σ² + σ_d²)/(σσ_d)² on the denoiser, i.e. σ²(σ² + σ_d²)/σ_d² on the score.</summary>
    public const string Edm = "edm";

    /// <summary>Strata of the floor's midpoint rule over the level distribution.</summary>
    public const int FloorStrata = 100;

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <summary>The schedule's smallest level σ(ε)/a(ε): where the learned score's single-level metrics are read (the end of sampling).</summary>
    public override double Sigma => Schedule.Sigma(Schedule.TimeMin) / Schedule.Scale(Schedule.TimeMin);

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalModel => true;

    /// <inheritdoc/>
    /// <remarks>On data on the zero-centre-of-mass subspace ε is projected (<c>ScheduleDsmLoss.Projection</c>) and the floor counts (K − 1)·3 degrees of freedom.</remarks>
    public override bool ProjectsNoise => true;

    /// <summary>Not defined: a schedule objective trains every level (sweeps and the wrong-σ fault need a single σ).</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override ObjectiveDefinition WithSigma(double sigma) =>
        throw new InvalidOperationException($"objective \"{Kind}\" trains every level of its schedule; it has no single σ to change");

    /// <summary>
    /// The level σ̃ at quantile <paramref name="u"/> ∈ (0, 1) of the level distribution (u is clamped to
    /// [1e-12, 1 − 1e-12]): σ(t)/a(t) at t = ε + u(T − ε), or exp(P_mean + P_std Φ⁻¹(u)).
    /// </summary>
    public double Level(double u)
    {
        u = Math.Clamp(u, 1e-12, 1 - 1e-12);
        if (Levels == LogNormal) return Math.Exp(PMean + PStd * Normal.InvCDF(0, 1, u));
        double t = Schedule.TimeMin + u * (Schedule.TimeMax - Schedule.TimeMin);
        return Schedule.Sigma(t) / Schedule.Scale(t);
    }

    /// <summary>λ(σ̃) on the squared score residual.</summary>
    public double Weight(double sigma) => Weighting == Edm
        ? sigma * sigma * (sigma * sigma + SigmaData * SigmaData) / (SigmaData * SigmaData)
        : sigma * sigma;

    /// <inheritdoc/>
    public override LossFloorResult Floor(Mixture target, int samples, RandomStream rng) =>
        LossFloor.OverLevels(target, Level, Weight, FloorStrata, samples, rng, Sigma);

    /// <summary>Reads <c>schedule</c>, <c>levels?</c> (with <c>pMean?</c>, <c>pStd?</c>), <c>weighting?</c> (with <c>sigmaData</c>) from the <c>training</c> object.</summary>
    public static ScheduleDsmObjective Read(ObjectReader training)
    {
        var schedule = Catalog.Schedules.Read(training.Object("schedule"));
        string levels = training.Has("levels") ? training.Choice("levels", UniformTime, LogNormal) : UniformTime;
        double pMean = -1.2, pStd = 1.2;
        if (levels == LogNormal)
        {
            pMean = training.OptionalNumber("pMean", -20, 20) ?? pMean;
            pStd = training.OptionalNumber("pStd", 0, 10, minExclusive: true) ?? pStd;
        }
        string weighting = training.Has("weighting") ? training.Choice("weighting", SigmaSquared, Edm) : SigmaSquared;
        double sigmaData = weighting == Edm ? training.Number("sigmaData", 0, 1e4, minExclusive: true) : 0;
        return new ScheduleDsmObjective(schedule, levels, pMean, pStd, weighting, sigmaData);
    }
}
