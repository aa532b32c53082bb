using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Sampling;

/// <summary>
/// One-step Tweedie denoiser x₀′ = x + σ² s(x) (Efron 2011): the posterior mean E[x₀ | x] when s
/// is the exact score of p_σ. A baseline reconstruction, not a sampler: its output is
/// under-dispersed by construction.
/// </summary>
public sealed record TweedieDenoiser : ISampler
{
    /// <inheritdoc/>
    public int Steps => 1;

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        record?.Invoke(0, particles);
        var s = new double[particles.Data.Length];
        score.Score(particles.Data, score.Sigma, s);
        double v = score.Sigma * score.Sigma;
        var x = particles.Data;
        for (int i = 0; i < x.Length; i++) x[i] += v * s[i];
        record?.Invoke(1, particles);
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) => null;
}
