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
        int n = x.Length / Dimension, chunk = _model.MaxEvaluationRows;
        // Rows in chunks of the network's MaxEvaluationRows (one chunk for every network but a large EGNN).
        for (int start = 0; start < n; start += chunk)
        {
            int rows = Math.Min(chunk, n - start), offset = start * Dimension, length = rows * Dimension;
            var input = new float[length];
            for (int i = 0; i < length; i++) input[i] = (float)x[offset + i];
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var output = _model.forward(tensor(input, [rows, Dimension]), full(rows, (float)sigma));
            // One bulk copy out of the tensor: indexing a TensorAccessor element by element costs
            // more than the network's forward pass at 5000 particles.
            var values = output.data<float>().ToArray();
            for (int i = 0; i < length; i++) score[offset + i] = values[i];
        }
    }
}
