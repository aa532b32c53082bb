namespace Repro.Core.Calibration;

/// <summary>
/// A graded fault for the gates' power curves, simulated with exact truth (no training): a law
/// fault replaces the score by the exact score of a wrong law (σ misspecified, weights leaked, p₀)
/// and draws the reconstruction exactly from that law; a sampler fault runs the configured
/// sampler on a scaled exact score or with a scaled step.
/// </summary>
/// <param name="Name">Short name (table column).</param>
/// <param name="Description">What is wrong, in words.</param>
/// <param name="SigmaFactor">The score is ∇log p_{kσ} (k = 0: ∇log p₀).</param>
/// <param name="WeightLeak">Weight moved from the last component to the first.</param>
/// <param name="ScoreFactor">The sampler follows c·∇log p_σ.</param>
/// <param name="StepFactor">The sampler's step is k·η.</param>
public sealed record GradedFault(string Name, string Description, double SigmaFactor = 1, double WeightLeak = 0,
    double ScoreFactor = 1, double StepFactor = 1)
{
    /// <summary>True when the fault is in the sampler run (score scale or step), not in the law.</summary>
    public bool IsSamplerFault => ScoreFactor != 1 || StepFactor != 1;

    /// <summary>The faults of issue 13: σ ±10/20%, p₀, a 5% weight leak, score ×0.9/1.1, step ×2/×5.</summary>
    public static IReadOnlyList<GradedFault> Standard { get; } =
    [
        new("σ×0.8", "score of p_{0.8σ} (σ misspecified by −20%)", SigmaFactor: 0.8),
        new("σ×0.9", "score of p_{0.9σ} (−10%)", SigmaFactor: 0.9),
        new("σ×1.1", "score of p_{1.1σ} (+10%)", SigmaFactor: 1.1),
        new("σ×1.2", "score of p_{1.2σ} (+20%)", SigmaFactor: 1.2),
        new("p₀", "∇log p₀ in place of ∇log p_σ (the reconstruction is p₀)", SigmaFactor: 0),
        new("leak 5%", "5% of the weight moved from the last component to the first", WeightLeak: 0.05),
        new("score×0.9", "Langevin on 0.9·∇log p_σ (samples ∝ p_σ^0.9)", ScoreFactor: 0.9),
        new("score×1.1", "Langevin on 1.1·∇log p_σ (samples ∝ p_σ^1.1)", ScoreFactor: 1.1),
        new("step×2", "Langevin step 2η", StepFactor: 2),
        new("step×5", "Langevin step 5η", StepFactor: 5),
    ];
}
