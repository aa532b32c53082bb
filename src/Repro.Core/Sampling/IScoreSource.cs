namespace Repro.Core.Sampling;

/// <summary>
/// Anything that answers s(x) ≈ ∇ₓ log p_σ(x) for a block of points: the exact truth (Core) or
/// a learned network (Training, which converts to float32 tensors at its edge). Samplers see
/// only this, so one sampler runs on both and a report can separate "the score is wrong" from
/// "the sampler does not reach its target".
/// </summary>
/// <remarks>
/// σ-space convention (Karras et al. 2022, §2): a source speaks (x, σ) only, with σ the standard
/// deviation of the Gaussian noise added to p₀ in the data's units, so s(x, σ) ≈ ∇log p_σ(x) with
/// p_σ = p₀ ∗ N(0, σ²I). No source knows a schedule. The time-t law of x_t = a·x₀ + σ·ε of a schedule
/// (a = a(t), σ = σ(t); VP has a = √ᾱ_t) is the scaled law p_{a,σ}(x) = a⁻ᵈ·p_{σ/a}(x/a), whose score is
/// ∇log p_{a,σ}(x) = (1/a)·∇log p_{σ/a}(x/a): a sampler on a schedule asks the source at (x/a, σ/a) and
/// divides by a (<see cref="ScheduledScore"/>).
/// </remarks>
public interface IScoreSource
{
    /// <summary>Dimension d of the points.</summary>
    int Dimension { get; }

    /// <summary>The noise level σ this source answers at when no other is asked for.</summary>
    double Sigma { get; }

    /// <summary>True when the source can answer at any σ (needed by annealed Langevin).</summary>
    bool IsNoiseConditional { get; }

    /// <summary>
    /// Writes s(x, σ) for the n × d row-major block <paramref name="x"/> into
    /// <paramref name="score"/> (same shape). A single-σ source accepts only its own <see cref="Sigma"/>.
    /// </summary>
    void Score(ReadOnlySpan<double> x, double sigma, Span<double> score);
}
