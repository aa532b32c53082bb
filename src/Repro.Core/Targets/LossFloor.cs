using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// The irreducible denoising-score-matching loss of a target at noise level σ: the value that a
/// perfect network s = ∇log p_σ attains, against which a training curve is judged.
/// </summary>
/// <remarks>
/// DSM at σ is E‖s(x̃) + ε/σ‖² with x̃ = x₀ + σε, x₀ ~ p₀. Expanding and using Tweedie
/// (E[ε | x̃] = −σ∇log p_σ(x̃)) gives E‖s − ∇log p_σ‖² + d/σ² − J(p_σ), J = E_{p_σ}‖∇log p_σ‖²
/// (Vincent 2011, eq. 11); hence the minimum d/σ² − J(p_σ). Both results here are divided by d,
/// matching a training loss averaged over batch and coordinates.
/// </remarks>
public static class LossFloor
{
    /// <summary>
    /// Estimates the per-dimension floor (d/σ² − J(p_σ))/d as the mean over n draws x̃ = x₀ + σ·noise,
    /// x₀ ~ p₀, of (d/σ² − ‖∇log p_σ(x̃)‖²)/d. Uses the children "x0" and "noise" of <paramref name="rng"/>.
    /// </summary>
    /// <param name="target">The target p₀.</param>
    /// <param name="sigma">σ &gt; 0.</param>
    /// <param name="samples">n ≥ 2.</param>
    /// <param name="rng">Source of all randomness.</param>
    public static LossFloorResult Estimate(Mixture target, double sigma, int samples, RandomStream rng)
    {
        var (x, _) = Perturb(target, sigma, samples, rng);
        Points score = target.Score(x, Smoothing.Gaussian(sigma));
        int d = target.Dimension;
        double dOverS2 = d / (sigma * sigma);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double q = 0;
            foreach (double v in score.Row(i)) q += v * v;
            values[i] = (dOverS2 - q) / d;
        }
        return Summarise(values, sigma);
    }

    /// <summary>
    /// The DSM loss of the exact score itself, mean over (x₀, ε) of ‖∇log p_σ(x₀ + σε) + ε/σ‖²/d:
    /// an independent check of <see cref="Estimate"/> (equal in expectation, larger variance).
    /// Uses the children "x0" and "noise" of <paramref name="rng"/>.
    /// </summary>
    public static LossFloorResult MonteCarloDsmLoss(Mixture target, double sigma, int samples, RandomStream rng)
    {
        var (x, noise) = Perturb(target, sigma, samples, rng);
        Points score = target.Score(x, Smoothing.Gaussian(sigma));
        int d = target.Dimension;
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double q = 0;
            for (int j = 0; j < d; j++)
            {
                double r = score.Data[i * d + j] + noise.Data[i * d + j] / sigma;
                q += r * r;
            }
            values[i] = q / d;
        }
        return Summarise(values, sigma);
    }

    /// <summary>x̃ = x₀ + σε for n draws x₀ ~ p₀, ε ~ N(0, I); returns x̃ and ε.</summary>
    static (Points Perturbed, Points Noise) Perturb(Mixture target, double sigma, int samples, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least 2 for a standard error");
        Points x = target.Sample(samples, rng.Child("x0"));
        var noise = Points.Zeros(samples, target.Dimension);
        rng.Child("noise").FillGaussian(noise.Data);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] += sigma * noise.Data[i];
        return (x, noise);
    }

    static LossFloorResult Summarise(double[] values, double sigma)
    {
        int n = values.Length;
        // Two-pass mean and variance: the values can be large (d/σ²) with small spread.
        double mean = values.Sum() / n;
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return new LossFloorResult(mean, Math.Sqrt(ss / (n - 1) / n), n, sigma);
    }
}
