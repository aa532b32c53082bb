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
}
