using Repro.Core.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// A trained <see cref="ScoreNetwork"/> as a score source: float64 points in, float32 through the
/// network, float64 scores out (the Training boundary). A network without noise conditioning answers
/// only at its training σ; a noise-conditional one answers at every σ &gt; 0. Its divergence ∇ₓ·s is the network's
/// own, by reverse-mode automatic differentiation (<see cref="Divergence"/>).
/// </summary>
public sealed class LearnedScore : IScoreSource, IScoreDivergence
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
            // The Scalar kept alive for the call (TorchSharp 0.107's implicit temporaries: dotnet/TorchSharp PRs #1434, #1496).
            using Scalar level = ((float)sigma).ToScalar();
            var output = _model.forward(tensor(input, [rows, Dimension]), full(rows, level));
            // One bulk copy out of the tensor: indexing a TensorAccessor element by element costs
            // more than the network's forward pass at 5000 particles.
            var values = output.data<float>().ToArray();
            for (int i = 0; i < length; i++) score[offset + i] = values[i];
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// tr ∂s/∂x of the float32 network, exact to its arithmetic: one forward pass with x requiring gradients, then d
    /// vector–Jacobian products eⱼᵀ∂s/∂x by <c>torch.autograd.grad</c> (FFJORD's exact trace, Grathwohl et al. 2019,
    /// §3, affordable for small d), whose j-th column summed over j gives the trace row by row. The gradients go to
    /// x only: the parameters' <c>.grad</c> is left untouched. Cost: d backward passes per call.
    /// </remarks>
    /// <exception cref="InvalidOperationException">A single-σ network asked at another σ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">σ not finite and &gt; 0.</exception>
    /// <exception cref="ArgumentException">x is not a multiple of d, or <paramref name="divergence"/> has not one entry per row.</exception>
    public void Divergence(ReadOnlySpan<double> x, double sigma, Span<double> divergence)
    {
        if (!IsNoiseConditional && sigma != Sigma)
            throw new InvalidOperationException(
                $"this network was trained at σ = {Sigma} only and cannot answer at σ = {sigma} (it is not noise-conditional)");
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        int d = Dimension;
        if (x.Length % d != 0 || divergence.Length != x.Length / d)
            throw new ArgumentException($"x has {x.Length} numbers and divergence {divergence.Length}: expected n·{d} and n", nameof(x));
        int n = x.Length / d, chunk = _model.MaxEvaluationRows;
        for (int start = 0; start < n; start += chunk)
        {
            int rows = Math.Min(chunk, n - start), offset = start * d, length = rows * d;
            var input = new float[length];
            for (int i = 0; i < length; i++) input[i] = (float)x[offset + i];
            using var scope = NewDisposeScope();
            using var withGrad = enable_grad();
            var points = tensor(input, [rows, d]).requires_grad_(true);
            using Scalar level = ((float)sigma).ToScalar();
            var output = _model.forward(points, full(rows, level));
            var trace = zeros(rows);
            for (int j = 0; j < d; j++)
            {
                var basis = zeros(rows, d);
                basis[TensorIndex.Colon, j] = ones(rows);
                var vjp = autograd.grad([output], [points], [basis], retain_graph: j < d - 1)[0];
                trace = trace.add(vjp[TensorIndex.Colon, j]);
            }
            var values = trace.detach().data<float>().ToArray();
            for (int i = 0; i < rows; i++) divergence[start + i] = values[i];
        }
    }
}
