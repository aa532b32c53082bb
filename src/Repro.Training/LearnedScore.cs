using Repro.Core.Sampling;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The trained network as a score source: float64 points in, float32 through the network,
/// float64 scores out (the Training boundary). Single-σ: it answers only at its training σ.
/// </summary>
public sealed class LearnedScore : IScoreSource
{
    readonly ScoreNet _model;

    /// <summary>Wraps a trained model (not owned: the caller disposes it).</summary>
    public LearnedScore(ScoreNet model, double sigma)
    {
        _model = model;
        Sigma = sigma;
    }

    /// <inheritdoc/>
    public int Dimension => _model.Dimension;

    /// <inheritdoc/>
    public double Sigma { get; }

    /// <inheritdoc/>
    public bool IsNoiseConditional => false;

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        if (sigma != Sigma)
            throw new InvalidOperationException(
                $"this network was trained at σ = {Sigma} only and cannot answer at σ = {sigma} (it is not noise-conditional)");
        int n = x.Length / Dimension;
        var input = new float[x.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)x[i];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = _model.forward(tensor(input, [n, Dimension]));
        // One bulk copy out of the tensor: indexing a TensorAccessor element by element costs
        // more than the network's forward pass at 5000 particles.
        var values = output.data<float>().ToArray();
        for (int i = 0; i < score.Length; i++) score[i] = values[i];
    }
}
