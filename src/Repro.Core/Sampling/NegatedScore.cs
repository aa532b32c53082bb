namespace Repro.Core.Sampling;

/// <summary>−s(x): a deliberately wrong score source, used to show that the gates catch it.</summary>
public sealed class NegatedScore(IScoreSource inner) : IScoreSource
{
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
        for (int i = 0; i < score.Length; i++) score[i] = -score[i];
    }
}
