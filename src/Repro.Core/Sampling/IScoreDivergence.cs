namespace Repro.Core.Sampling;

/// <summary>
/// A score source that also gives the divergence of its own field, ∇ₓ·s(x, σ) = tr ∂s/∂x, exactly (to its
/// arithmetic): the exact law by the closed form of <see cref="Targets.ScoreDivergence"/>, a learned network by
/// automatic differentiation over its d inputs (Repro.Training). The probability-flow likelihood integrates it
/// (Song et al. 2021, eq. 39, App. D.2) where Hutchinson's estimator would add its Monte Carlo error.
/// </summary>
public interface IScoreDivergence
{
    /// <summary>
    /// Writes ∇ₓ·s(x, σ) at each row of the n × d row-major block <paramref name="x"/> into
    /// <paramref name="divergence"/> (length n), in units of 1/length², at noise level σ (σ-space, as
    /// <see cref="IScoreSource.Score"/>).
    /// </summary>
    void Divergence(ReadOnlySpan<double> x, double sigma, Span<double> divergence);
}
