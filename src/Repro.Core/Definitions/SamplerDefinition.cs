namespace Repro.Core.Definitions;

/// <summary>A sampler over a score source.</summary>
public abstract record SamplerDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>The sampler this definition describes.</summary>
    public abstract Sampling.ISampler CreateSampler();

    /// <summary>
    /// σ of the law p_σ this sampler aims at when following a score at <paramref name="scoreSigma"/>:
    /// Langevin on a single-σ score samples p_σ (not p₀); annealed Langevin ends at σ_min;
    /// the Tweedie denoiser aims at p₀.
    /// </summary>
    public virtual double TargetSigma(double scoreSigma) => scoreSigma;

    /// <summary>
    /// True when the sampler follows ∇log p_σ at more than one σ (annealed levels, a diffusion
    /// schedule), so a single-σ network cannot drive it.
    /// </summary>
    public virtual bool NeedsNoiseConditionalScore => false;

    /// <summary>Why this sampler cannot use a score at <paramref name="scoreSigma"/>, or null when it can.</summary>
    public virtual string? RefusesScoreSigma(double scoreSigma) => null;

    /// <summary>True when the sampler moves by Langevin steps (what <c>mh-rejection</c> judges).</summary>
    public virtual bool MakesLangevinMoves => true;

    /// <summary>The same sampler with every step size multiplied by <paramref name="factor"/> (for fault injection).</summary>
    public abstract SamplerDefinition WithStepScale(double factor);

    /// <summary>
    /// True when <see cref="WithStepScale"/> changes the number of score evaluations (a schedule sampler's grid),
    /// not the size of a Langevin step: such a reconstruction may ask for a <c>stepLadder</c>.
    /// </summary>
    public virtual bool StepScaleSetsEvaluations => false;

    /// <summary>
    /// The same sampler with a deliberate <paramref name="defect"/> (<c>repro calibrate --runs</c> only), or this very
    /// instance when the defect does not concern this sampler (so <c>WithDefect(d) == this</c> tells whether it does).
    /// </summary>
    public virtual SamplerDefinition WithDefect(Sampling.SamplerDefect defect) => this;
}
