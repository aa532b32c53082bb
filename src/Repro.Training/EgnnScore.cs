using Repro.Core.Sampling;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// An <see cref="EgnnScoreNet"/> as a noise-conditional score source: float64 clouds in, float32 through
/// the network, float64 scores out (the Training boundary).
/// </summary>
public sealed class EgnnScore : IScoreSource
{
    readonly EgnnScoreNet _model;

    /// <summary>Wraps a model (not owned: the caller disposes it).</summary>
    /// <param name="model">The network.</param>
    /// <param name="sigma">The default noise level σ &gt; 0.</param>
    public EgnnScore(EgnnScoreNet model, double sigma)
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
    public bool IsNoiseConditional => true;

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        if (x.Length % Dimension != 0 || score.Length != x.Length)
            throw new ArgumentException($"x has {x.Length} numbers and score {score.Length}: expected the same multiple of {Dimension}", nameof(x));
        int n = x.Length / Dimension;
        var input = new float[x.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)x[i];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = _model.forward(tensor(input, [n, Dimension]), full(n, (float)sigma));
        var values = output.data<float>().ToArray();
        for (int i = 0; i < score.Length; i++) score[i] = values[i];
    }
}
