using Repro.Core.Definitions;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// The probability-flow ODE the <c>ode-likelihood</c> metric integrates (schedule, grid intervals, Euler or Heun) and
/// on how many held-out points of p₀: an experiment's evaluator takes the ODE from its own probability-flow
/// reconstruction, so the likelihood is judged on the solver its samples come from.
/// </summary>
/// <param name="Flow">The likelihood ODE (<see cref="ProbabilityFlowLikelihood"/>).</param>
/// <param name="Points">Held-out points of p₀ (≥ 2).</param>
public sealed record LikelihoodSettings(ProbabilityFlowLikelihood Flow, int Points)
{
    /// <summary>The points, checked.</summary>
    public int Points { get; init; } = Points >= 2 ? Points : throw new ArgumentOutOfRangeException(nameof(Points), Points, "must be ≥ 2");

    /// <summary>
    /// How much finer than the sampler's grid the likelihood ODE runs at full size. At the seed experiments' 40 Heun steps
    /// the exact score's solver term is ≈ 0.011 nats per point on the two blobs, about 5× the Monte Carlo error of the
    /// total at 500 points, so the sampler's own grid cannot show whether the decomposition closes; Heun's error falls as
    /// N⁻², so 8× the steps leaves ≈ 2e-4 nats (4e-4 on the ncsn mixture's longer σ range), well inside that error.
    /// </summary>
    public const int Refinement = 8;

    /// <summary>
    /// The refinement of a quick run (<c>--quick</c>), which checks the pipeline at a quarter of the cost (the network's
    /// cost is per call, not per point): at 2× the exact score's solver term (≈ 3e-3 nats on the two blobs) is still
    /// inside the Monte Carlo error of the total at the quick 100 points (≈ 5e-3).
    /// </summary>
    public const int QuickRefinement = 2;

    /// <summary>
    /// The likelihood of an experiment: the schedule and method of its first probability-flow reconstruction (the ODE its
    /// samples come from, run the other way) at <see cref="Refinement"/>× its step count (<see cref="QuickRefinement"/>×
    /// when quick), on a quarter of the evaluation's reference size in held-out points of p₀ (500 at the seed
    /// experiments' 2000, 100 at their quick 400); null when no reconstruction samples by the probability-flow ODE.
    /// </summary>
    /// <param name="definition">The experiment.</param>
    /// <param name="referenceSize">The evaluation's reference size (quick settings cap it).</param>
    /// <param name="quick">A quick run.</param>
    public static LikelihoodSettings? Of(ExperimentDefinition definition, int referenceSize, bool quick)
    {
        ArgumentNullException.ThrowIfNull(definition);
        int refinement = quick ? QuickRefinement : Refinement;
        return definition.Reconstructions.Select(r => r.Sampler).OfType<ProbabilityFlowSampler>().FirstOrDefault() is { } ode
            ? new LikelihoodSettings(new ProbabilityFlowLikelihood(ode.Schedule, ode.Intervals * refinement, ode.Method), Math.Max(2, referenceSize / 4))
            : null;
    }
}
