namespace Repro.Core.Sampling;

/// <summary>
/// Anything that answers s(x) ≈ ∇ₓ log p_σ(x) for a block of points: the exact truth (Core) or
/// a learned network (Training, which converts to float32 tensors at its edge). Samplers see
/// only this, so one sampler runs on both and a report can separate "the score is wrong" from
/// "the sampler does not reach its target".
/// </summary>
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
