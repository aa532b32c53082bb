using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Sampling;

/// <summary>
/// The exact score ∇log p_σ of a target as a score source: σ = 0 is ∇log p₀. Noise-conditional,
/// so annealed Langevin can ask it for any level; it gives its divergence Δ log p_σ in closed form.
/// </summary>
public sealed class ExactScore : IScoreSource, IScoreDivergence
{
    readonly Mixture _target;

    /// <summary>The exact score of <paramref name="target"/>, answering at <paramref name="sigma"/> by default.</summary>
    public ExactScore(Mixture target, double sigma)
    {
        if (!(sigma >= 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be ≥ 0");
        _target = target;
        Sigma = sigma;
    }

    /// <inheritdoc/>
    public int Dimension => _target.Dimension;

    /// <inheritdoc/>
    public double Sigma { get; }

    /// <inheritdoc/>
    public bool IsNoiseConditional => true;

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        var points = new Points(x.ToArray(), Dimension);
        _target.Score(points, Smoothing.Gaussian(sigma)).Data.CopyTo(score);
    }

    /// <inheritdoc/>
    /// <remarks>Δ log p_σ by the closed form of <see cref="ScoreDivergence"/>.</remarks>
    public void Divergence(ReadOnlySpan<double> x, double sigma, Span<double> divergence) =>
        ScoreDivergence.Of(_target, new Points(x.ToArray(), Dimension), Smoothing.Gaussian(sigma)).CopyTo(divergence);
}
