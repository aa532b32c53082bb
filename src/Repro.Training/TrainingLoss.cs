using Repro.Core.Random;
using Repro.Core.Targets;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The loss of one training objective (<see cref="Repro.Core.Definitions.ObjectiveDefinition"/>) on a
/// minibatch: it draws its own corruption from the stream it is handed, so a run is a pure function of
/// (data, initial weights, streams, thread count).
/// </summary>
public interface ITrainingLoss
{
    /// <summary>
    /// The scalar loss of <paramref name="network"/> on clean points <paramref name="x0"/> (batch × d,
    /// float32), with the noise drawn from <paramref name="noise"/>.
    /// </summary>
    Tensor Loss(ScoreNetwork network, Tensor x0, RandomStream noise);
}

/// <summary>
/// Denoising score matching at one σ (Vincent 2011, eq. 5): x̃ = x₀ + σε with ε ~ N(0, I) drawn
/// row-major from the stream, loss = mean over batch and dimensions of (s_θ(x̃, σ) + ε/σ)². With a
/// <see cref="Projection"/> (a target on the zero-centre-of-mass subspace) each row of ε is projected in
/// float64 before use, ε ↦ Pε, so x̃ stays on the subspace and the target is −Pε/σ (EDM for molecules,
/// Hoogeboom et al. 2022); the floor then counts the subspace's degrees of freedom (<see cref="LossFloor"/>).
/// </summary>
/// <param name="Sigma">σ &gt; 0.</param>
public sealed record DsmLoss(double Sigma) : ITrainingLoss
{
    /// <summary>The projection of a noise row onto the data's state space, or null on all of R^d.</summary>
    public NoiseProjection? Projection { get; init; }

    /// <inheritdoc/>
    public Tensor Loss(ScoreNetwork network, Tensor x0, RandomStream noise)
    {
        long batch = x0.shape[0], d = x0.shape[1];
        float sigma = (float)Sigma;
        var eps = DsmNoise.Draw(noise, batch, d, Projection);
        var epsilon = tensor(eps, [batch, d]);
        // Scalars made explicitly and kept alive for the calls (TorchSharp 0.107's implicit temporaries can be
        // finalised mid-call: dotnet/TorchSharp PRs #1434, #1496); the same float32 values as before.
        using Scalar sigmaScalar = sigma.ToScalar(), negSigma = (-sigma).ToScalar();
        var xTilde = x0.add(epsilon, alpha: sigmaScalar);
        var target = epsilon.div(negSigma);
        return network.forward(xTilde, full(batch, sigmaScalar)).sub(target).square().mean();
    }
}
