using Repro.Core.Definitions;
using Repro.Core.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The seed's MLP made noise-conditional by EDM's preconditioning (<see cref="NoiseEmbeddingConditioning"/>;
/// Karras et al. 2022, eq. 7, NVlabs/edm <c>training/networks.py</c> <c>EDMPrecond</c>): the backbone
/// F = Linear(d + 2K, hidden), SiLU, (layers − 1) × [Linear(hidden, hidden), SiLU], Linear(hidden, d) reads
/// [c_in·x, sin(2π f c_noise), cos(2π f c_noise)] with c_noise = ¼ ln σ and K fixed Gaussian frequencies f
/// (score_sde <c>layerspp.GaussianFourierProjection</c>), and the score is
/// s(x, σ) = −x/(σ² + σ_d²) + σ_d/(σ√(σ² + σ_d²))·F, i.e. (D − x)/σ² for EDM's denoiser D. float32, CPU.
/// </summary>
public sealed class PreconditionedScoreNet : ScoreNetwork
{
    readonly Sequential _net;
    readonly Tensor frequencies;

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override bool IsNoiseConditional => true;

    /// <summary>σ_data of the preconditioning.</summary>
    public double SigmaData { get; }

    /// <summary>
    /// A deliberate defect (<c>repro calibrate --runs</c> only; <see cref="NetworkCatalog.BuildWithConstantNoiseLabel"/>):
    /// the Fourier embedding reads the constant c_noise = 0 (the label of σ = 1) instead of ¼ ln σ, in training and in
    /// sampling alike, while c_in, c_skip and c_out still see σ. False for every network a definition builds.
    /// </summary>
    public bool ConstantNoiseLabel { get; init; }

    /// <summary>
    /// Builds the network. Linear layers get PyTorch's default initialisation from
    /// <c>rng.Child(layer)</c> (as <see cref="ScoreNet"/>); the K frequencies are N(0, scale²) draws of
    /// <c>rng.Child("fourier")</c>, fixed (a buffer, saved with the weights, never trained).
    /// </summary>
    /// <param name="dimension">d ≥ 1.</param>
    /// <param name="hidden">Hidden width.</param>
    /// <param name="layers">Hidden layers ≥ 1.</param>
    /// <param name="conditioning">σ_data, K and the frequency scale.</param>
    /// <param name="rng">The seed's <c>init</c> stream.</param>
    public PreconditionedScoreNet(int dimension, int hidden, int layers, NoiseEmbeddingConditioning conditioning, RandomStream rng)
        : base(nameof(PreconditionedScoreNet))
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        Dimension = dimension;
        SigmaData = conditioning.SigmaData;
        int k = conditioning.Frequencies;
        var modules = new List<nn.Module<Tensor, Tensor>> { nn.Linear(dimension + 2 * k, hidden), nn.SiLU() };
        for (int i = 0; i < layers - 1; i++)
        {
            modules.Add(nn.Linear(hidden, hidden));
            modules.Add(nn.SiLU());
        }
        modules.Add(nn.Linear(hidden, dimension));
        _net = nn.Sequential(modules);
        var fourier = rng.Child("fourier");
        var f = new float[k];
        for (int i = 0; i < k; i++) f[i] = (float)(2 * Math.PI * conditioning.Scale * fourier.NextGaussian());
        frequencies = tensor(f, [1, k]);
        RegisterComponents();
        InitialiseLinearLayers(_net.named_children().Select(c => (c.name, (nn.Module)c.module)), rng);
    }

    /// <summary>s_θ(x, σ): <paramref name="x"/> n × d, <paramref name="sigma"/> n (each &gt; 0); returns n × d.</summary>
    public override Tensor forward(Tensor x, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var s = sigma.reshape(-1, 1);
        // Scalars kept alive for the calls (TorchSharp 0.107's implicit temporaries: dotnet/TorchSharp PRs #1434, #1496).
        using Scalar sigmaData2 = (SigmaData * SigmaData).ToScalar(), quarter = 0.25.ToScalar(), sigmaData = SigmaData.ToScalar();
        var total = s.square().add(sigmaData2);                 // σ² + σ_d²
        var cIn = total.rsqrt();
        var angles = ConstantNoiseLabel ? zeros_like(s).mul(frequencies) : s.log().mul(quarter).mul(frequencies); // 2π f · c_noise, n × K
        var features = cat([x.mul(cIn), angles.sin(), angles.cos()], 1);
        var f = _net.forward(features);
        // (D − x)/σ² = (c_skip − 1)x/σ² + c_out F/σ², with (c_skip − 1)/σ² = −1/(σ² + σ_d²).
        var score = f.mul(cIn.mul(sigmaData).div(s)).sub(x.mul(cIn.square()));
        return score.MoveToOuterDisposeScope();
    }
}
