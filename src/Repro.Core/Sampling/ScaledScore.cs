namespace Repro.Core.Sampling;

/// <summary>
/// c·s(x): a score source whose magnitude is off by the factor c (a graded fault for
/// <c>repro calibrate</c>). Langevin on c·∇log p samples ∝ p^c, not p.
/// </summary>
public sealed class ScaledScore(IScoreSource inner, double factor) : IScoreSource
{
    /// <summary>The factor c.</summary>
    public double Factor => factor;

    /// <inheritdoc/>
    public int Dimension => inner.Dimension;

    /// <inheritdoc/>
    public double Sigma => inner.Sigma;

    /// <inheritdoc/>
    public bool IsNoiseConditional => inner.IsNoiseConditional;

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        inner.Score(x, sigma, score);
        for (int i = 0; i < score.Length; i++) score[i] *= factor;
    }
}
