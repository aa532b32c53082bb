using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Sampling;

/// <summary>
/// ∇·s_t(x) for a block of points, as the probability-flow likelihood needs it: exactly from the
/// target (<see cref="ExactDivergence"/>) or by Hutchinson's estimator from any score source
/// (<see cref="HutchinsonDivergence"/>).
/// </summary>
public abstract class DivergenceEstimator
{
    /// <summary>
    /// Writes ∇·∇log p_t at each row of the n × d block <paramref name="x"/> (global particle indices
    /// from <paramref name="firstParticle"/>) into <paramref name="result"/> (length n).
    /// </summary>
    public abstract void Divergence(ScheduledScore score, ReadOnlySpan<double> x, int dimension, double t, long firstParticle, Span<double> result);
}

/// <summary>The exact divergence Δ log p_t of the target's marginal (<see cref="ScoreDivergence"/>).</summary>
public sealed class ExactDivergence(Mixture target) : DivergenceEstimator
{
    /// <inheritdoc/>
    public override void Divergence(ScheduledScore score, ReadOnlySpan<double> x, int dimension, double t, long firstParticle, Span<double> result) =>
        ScoreDivergence.Of(target, new Points(x.ToArray(), dimension), score.Schedule.Marginal(t)).CopyTo(result);
}

/// <summary>Probe distributions of Hutchinson's estimator.</summary>
public enum ProbeKind
{
    /// <summary>Each coordinate ±1 with probability ½ (the smallest variance for a fixed Jacobian).</summary>
    Rademacher,

    /// <summary>Standard normal coordinates.</summary>
    Gaussian,
}

/// <summary>
/// Hutchinson's estimator ∇·s ≈ (1/K) Σ_k v_kᵀ J v_k, E[v vᵀ] = I (Hutchinson 1989; FFJORD, Grathwohl et
/// al. 2019; score_sde's <c>get_div_fn</c>). The Jacobian–vector product is the central difference
/// J v ≈ [s(x + δv) − s(x − δv)]/(2δ) with δ = 1e-3·σ(t), which needs nothing but the score, so the
/// estimator runs on a learned network as on the truth; its relative bias is O((δ/σ)²) ≈ 1e-6.
/// As in score_sde, each particle's probes are drawn once (counter-based on the particle and the
/// probe index) and kept along the whole trajectory, so the estimate does not depend on batching.
/// </summary>
/// <param name="Noise">Source of the probes.</param>
/// <param name="Kind">Rademacher or Gaussian.</param>
/// <param name="Probes">K ≥ 1 probes per particle.</param>
public sealed class HutchinsonDivergence(CounterNoise Noise, ProbeKind Kind, int Probes) : DivergenceEstimator
{
    /// <inheritdoc/>
    public override void Divergence(ScheduledScore score, ReadOnlySpan<double> x, int dimension, double t, long firstParticle, Span<double> result)
    {
        int length = x.Length, n = length / dimension;
        double delta = 1e-3 * score.Schedule.Sigma(t);
        var v = new double[length];
        var plus = new double[length];
        var minus = new double[length];
        var sPlus = new double[length];
        var sMinus = new double[length];
        result.Clear();
        for (int k = 0; k < Probes; k++)
        {
            // Step index −1 − k keeps the probes apart from any sampler's step noise under the same key.
            Noise.Fill(v, firstParticle, dimension, -1 - k);
            if (Kind == ProbeKind.Rademacher)
                for (int i = 0; i < length; i++) v[i] = v[i] >= 0 ? 1.0 : -1.0;
            for (int i = 0; i < length; i++)
            {
                plus[i] = x[i] + delta * v[i];
                minus[i] = x[i] - delta * v[i];
            }
            score.At(plus, t, sPlus);
            score.At(minus, t, sMinus);
            for (int p = 0; p < n; p++)
            {
                double sum = 0;
                for (int j = p * dimension; j < (p + 1) * dimension; j++) sum += v[j] * (sPlus[j] - sMinus[j]);
                result[p] += sum / (2 * delta) / Probes;
            }
        }
    }
}
