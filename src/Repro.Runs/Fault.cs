namespace Repro.Runs;

/// <summary>
/// A deliberate defect injected into a run, so that <c>repro calibrate</c> can show the gates
/// catch broken runs. Never used by <c>run</c> or <c>make reproduce</c>.
/// </summary>
public enum Fault
{
    /// <summary>A correct run.</summary>
    None,
    /// <summary>The network takes a single optimiser step: effectively untrained.</summary>
    Untrained,
    /// <summary>The network is trained at σ/2 while the harness believes σ.</summary>
    WrongSigma,
    /// <summary>The learned score's sign is flipped everywhere it is used.</summary>
    FlippedScore,
    /// <summary>Every sampler step size is 10× the definition's.</summary>
    LargeStep,
    /// <summary>An EGNN whose layers read point 1 at the far end of every edge (<c>Training.EgnnDefect.SameEndpoint</c>); egnn models only.</summary>
    EgnnSameEndpoint,
    /// <summary>An EGNN whose edge network reads the unrotated difference vector (<c>Training.EgnnDefect.UnrotatedEdgeFeatures</c>); egnn models only.</summary>
    EgnnUnrotatedEdgeFeatures,
    /// <summary>The noise embedding reads a constant label instead of σ, in training and sampling (<c>Training.PreconditionedScoreNet.ConstantNoiseLabel</c>); noise-embedding models only.</summary>
    ConstantNoiseLabel,
    /// <summary>The schedule samplers integrate another schedule than the one defined, from the defined start (<c>Core.Sampling.SamplerDefect.WrongSchedule</c>).</summary>
    WrongSchedule,
    /// <summary>The probability-flow ODE integrated in the wrong direction: its drift's sign flipped (<c>Core.Sampling.SamplerDefect.ReversedProbabilityFlow</c>).</summary>
    ReversedProbabilityFlow,
    /// <summary>The predictor–corrector's step from batch-averaged norms, score_sde_pytorch issue #41 (<c>Core.Sampling.SamplerDefect.BatchAveragedCorrector</c>).</summary>
    BatchAveragedCorrector,
}

/// <summary>What a <see cref="Fault"/> does to a sampler.</summary>
public static class FaultSamplers
{
    /// <summary>The sampler defect a fault injects (<see cref="Core.Sampling.SamplerDefect.None"/> for faults of training or of the score).</summary>
    public static Core.Sampling.SamplerDefect SamplerDefect(this Fault fault) => fault switch
    {
        Fault.WrongSchedule => Core.Sampling.SamplerDefect.WrongSchedule,
        Fault.ReversedProbabilityFlow => Core.Sampling.SamplerDefect.ReversedProbabilityFlow,
        Fault.BatchAveragedCorrector => Core.Sampling.SamplerDefect.BatchAveragedCorrector,
        _ => Core.Sampling.SamplerDefect.None,
    };
}
