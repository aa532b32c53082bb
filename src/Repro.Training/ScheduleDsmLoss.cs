using Repro.Core.Definitions;
using Repro.Core.Random;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// DSM over a schedule (<see cref="ScheduleDsmObjective"/>): per row a level σ̃ᵢ = Level(uᵢ), uᵢ ~ U[0, 1),
/// then ε ~ N(0, I) row-major, both from the stream; x̃ = x₀ + σ̃ε and the loss is the mean over batch and
/// dimensions of λ(σ̃)(s_θ(x̃, σ̃) + ε/σ̃)², computed as (√λ·s + (√λ/σ̃)·ε)² so that no term is of order 1/σ̃².
/// With a <see cref="Projection"/> (data on the zero-centre-of-mass subspace) each row of ε is projected in float64,
/// ε ↦ Pε, after the levels are drawn, as <see cref="DsmLoss"/> does (EDM for molecules, Hoogeboom et al. 2022).
/// </summary>
/// <param name="Objective">Levels, weighting and schedule.</param>
public sealed record ScheduleDsmLoss(ScheduleDsmObjective Objective) : ITrainingLoss
{
    /// <summary>The projection of a noise row onto the data's state space, or null on all of R^d.</summary>
    public Core.Targets.NoiseProjection? Projection { get; init; }

    /// <inheritdoc/>
    public Tensor Loss(ScoreNetwork network, Tensor x0, RandomStream noise)
    {
        long batch = x0.shape[0], d = x0.shape[1];
        var sigma = new float[batch];
        var rootWeight = new float[batch];
        var rootWeightOverSigma = new float[batch];
        for (int i = 0; i < batch; i++)
        {
            double s = Objective.Level(noise.NextDouble()), w = Math.Sqrt(Objective.Weight(s));
            sigma[i] = (float)s;
            rootWeight[i] = (float)w;
            rootWeightOverSigma[i] = (float)(w / s);
        }
        var eps = DsmNoise.Draw(noise, batch, d, Projection);
        var epsilon = tensor(eps, [batch, d]);
        var levels = tensor(sigma);
        var xTilde = x0.add(epsilon.mul(levels.unsqueeze(1)));
        var score = network.forward(xTilde, levels);
        return score.mul(tensor(rootWeight).unsqueeze(1)).add(epsilon.mul(tensor(rootWeightOverSigma).unsqueeze(1))).square().mean();
    }
}
