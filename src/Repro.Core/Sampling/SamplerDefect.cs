using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// A deliberate sampler bug, for <c>repro calibrate --runs</c> to show that an experiment's gates catch it
/// (<see cref="Definitions.SamplerDefinition.WithDefect"/>). No definition can ask for one; each is a bug
/// that diffusion codebases have shipped.
/// </summary>
public enum SamplerDefect
{
    /// <summary>The sampler as defined.</summary>
    None,

    /// <summary>
    /// The schedule samplers integrate another schedule than the one defined (<see cref="SamplerDefects.Mismatched"/>):
    /// the kind swapped to score_sde's default of the other family, the start (drawn for the defined prior) unchanged.
    /// </summary>
    WrongSchedule,

    /// <summary>
    /// The probability-flow ODE integrated the wrong way: the drift's sign flipped, so the grid T → ε runs the
    /// forward-time flow (openai/consistency_models_cifar10 issue #12 integrated its likelihood ODE in the wrong
    /// direction and reported four times the right bits/dim).
    /// </summary>
    ReversedProbabilityFlow,

    /// <summary>
    /// The predictor–corrector's Langevin step from the batch means of ‖z‖ and ‖s‖ (score_sde_pytorch issue #41,
    /// <see cref="CorrectorStepRule.BatchAveraged"/>) instead of each particle's own: a particle's path then
    /// depends on which particles share its batch.
    /// </summary>
    BatchAveragedCorrector,
}

/// <summary>The schedules <see cref="SamplerDefect.WrongSchedule"/> substitutes.</summary>
public static class SamplerDefects
{
    /// <summary>
    /// The schedule a mismatched sampler integrates instead of <paramref name="schedule"/>: a VE or EDM schedule
    /// becomes score_sde's default VP (β 0.1 → 20, ε = 1e-3, prior N(0, I)); a VP schedule becomes score_sde's default
    /// VE (σ 0.01 → 50). The particles still start from the prior of the schedule that was defined.
    /// </summary>
    public static Schedule Mismatched(Schedule schedule) => schedule switch
    {
        VpSchedule => new VeSchedule(0.01, 50),
        _ => new VpSchedule(0.1, 20, 1e-3),
    };
}
