using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Sampling;

/// <summary>
/// Annealed Langevin dynamics (Song &amp; Ermon 2019, Algorithm 1): noise levels
/// σ₁ = σ_max &gt; … &gt; σ_L = σ_min geometric; at level i, T steps of
/// x ← x + (αᵢ/2) s(x, σᵢ) + √αᵢ z with αᵢ = η (σᵢ/σ_L)². Needs a noise-conditional score.
/// </summary>
public sealed record AnnealedLangevin(double SigmaMax, double SigmaMin, int Levels, int StepsPerLevel, double StepSize) : ISampler
{
    /// <inheritdoc/>
    public int Steps => Levels * StepsPerLevel;

    /// <summary>σᵢ = σ_max (σ_min/σ_max)^((i−1)/(L−1)), i = 1..L.</summary>
    public double[] NoiseLevels()
    {
        var sigmas = new double[Levels];
        for (int i = 0; i < Levels; i++)
            sigmas[i] = SigmaMax * Math.Pow(SigmaMin / SigmaMax, i / (double)(Levels - 1));
        sigmas[Levels - 1] = SigmaMin;
        return sigmas;
    }

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        if (!score.IsNoiseConditional)
            throw new InvalidOperationException("annealed Langevin needs a noise-conditional score (∇log p_σ at every level)");
        record?.Invoke(0, particles);
        var s = new double[particles.Data.Length];
        var z = new double[particles.Data.Length];
        int t = 0;
        foreach (double sigma in NoiseLevels())
        {
            double alpha = Alpha(sigma);
            double half = alpha / 2, root = Math.Sqrt(alpha);
            for (int k = 0; k < StepsPerLevel; k++)
            {
                t++;
                score.Score(particles.Data, sigma, s);
                noise.Fill(z, firstParticle, particles.Dimension, t);
                var x = particles.Data;
                for (int i = 0; i < x.Length; i++) x[i] += half * s[i] + root * z[i];
                record?.Invoke(t, particles);
            }
        }
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma)
    {
        if (step < 1 || step > Steps) return null;
        double sigma = NoiseLevels()[(step - 1) / StepsPerLevel];
        return new LangevinMove(Alpha(sigma), sigma);
    }

    /// <summary>αᵢ = η (σᵢ/σ_L)²: the step at level σᵢ.</summary>
    double Alpha(double sigma) => StepSize * (sigma / SigmaMin) * (sigma / SigmaMin);
}
