using Repro.Core.Sampling;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// A trained <see cref="ScoreNetwork"/> as a score source: float64 points in, float32 through the
/// network, float64 scores out (the Training boundary). A network without noise conditioning answers
/// only at its training σ; a noise-conditional one answers at every σ &gt; 0.
/// </summary>
public sealed class LearnedScore : IScoreSource
{
    readonly ScoreNetwork _model;

    /// <summary>Wraps a trained model (not owned: the caller disposes it).</summary>
    /// <param name="model">The network.</param>
    /// <param name="sigma">The training σ (single-σ network) or the default level (noise-conditional), finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">σ is not finite and &gt; 0.</exception>
    public LearnedScore(ScoreNetwork model, double sigma)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        _model = model;
        Sigma = sigma;
    }

    /// <inheritdoc/>
    public int Dimension => _model.Dimension;

    /// <inheritdoc/>
    public double Sigma { get; }

    /// <inheritdoc/>
    public bool IsNoiseConditional => _model.IsNoiseConditional;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A single-σ network asked at another σ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A noise-conditional network asked at σ not finite and &gt; 0.</exception>
    /// <exception cref="ArgumentException">x and score differ in length or are not a multiple of d.</exception>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        if (!IsNoiseConditional && sigma != Sigma)
            throw new InvalidOperationException(
                $"this network was trained at σ = {Sigma} only and cannot answer at σ = {sigma} (it is not noise-conditional)");
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        if (x.Length % Dimension != 0 || score.Length != x.Length)
            throw new ArgumentException($"x has {x.Length} numbers and score {score.Length}: expected the same multiple of {Dimension}", nameof(x));
        int n = x.Length / Dimension;
        var input = new float[x.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)x[i];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = _model.forward(tensor(input, [n, Dimension]), full(n, (float)sigma));
        // One bulk copy out of the tensor: indexing a TensorAccessor element by element costs
        // more than the network's forward pass at 5000 particles.
        var values = output.data<float>().ToArray();
        for (int i = 0; i < score.Length; i++) score[i] = values[i];
    }
}
