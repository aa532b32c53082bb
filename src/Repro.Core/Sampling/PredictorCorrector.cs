using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3; score_sde's <c>pc_sampler</c>
/// order): at each grid time tᵢ, i = 0..N−1, first <c>CorrectorSteps</c> Langevin corrector moves on
/// p_{tᵢ}, then one reverse-SDE Euler–Maruyama predictor step tᵢ → tᵢ₊₁ (as <see cref="ReverseSde"/>).
/// The predictor's last step adds its noise; the run then ends as <see cref="ScheduledScore.Finish"/>
/// says (no corrector at ε).
/// </summary>
/// <remarks>
/// Corrector move for particle p: x_p ← x_p + ε_p s_p + √(2ε_p) z_p with
/// ε_p = 2α (r √d / ‖s_p‖)², r the signal-to-noise ratio and α = exp(2 f(tᵢ) hᵢ) (1 for VE and
/// EDM, score_sde's 1 − βᵢ for VP). The paper writes ‖z‖ for √d; using the realised ‖z_p‖ of the very
/// noise the move adds would couple step and noise, and the added variance would grow by (d + 2)/d
/// (2× in d = 2), so the step uses its expectation E‖z‖² = d. The norms are the particle's own, so a particle's path does not
/// depend on which other particles share its batch; score_sde averages both norms over the batch
/// (its issue #41), which <see cref="CorrectorStepRule.BatchAveraged"/> reproduces for comparison only.
/// A particle whose score is exactly zero is not moved by the corrector.
/// <para>
/// The per-sample step is not neutral: it is a function of the position, ε(x) = c/‖s_t(x)‖², and an
/// uncorrected Langevin move with a position-dependent step leaves p_t/ε ∝ p_t‖s_t‖² invariant in the
/// small-step limit, not p_t (the adjoint of ε(x)(s·∇ + Δ) vanishes on π only when ∇(επ) = επ s). On
/// N(μ, vI_d) that inflates E‖x − μ‖² by (d + 2)/d, and in d = 2 the step explodes where ‖s_p‖ → 0
/// near a mode. score_sde's batch-averaged step is constant across particles and keeps p_t, but
/// depends on the batch. Both are measured by the tests; the corrector here is the per-sample one
/// the paper writes, with that bias stated, until a Metropolis-adjusted corrector replaces it.
/// </para>
/// </remarks>
/// <param name="Schedule">The forward process being reversed.</param>
/// <param name="Intervals">N ≥ 1 grid intervals.</param>
/// <param name="CorrectorSteps">M ≥ 1 corrector moves per grid time.</param>
/// <param name="SignalToNoise">r &gt; 0 (score_sde: 0.16 for VE, 0.01 for VP).</param>
/// <param name="Denoise">End with the Tweedie mean E[x₀ | x_ε] (one more evaluation) instead of x_ε/a(ε).</param>
/// <param name="Rule">Per-sample (the default and the only one a definition can ask for) or batch-averaged norms.</param>
public sealed record PredictorCorrector(Schedule Schedule, int Intervals, int CorrectorSteps, double SignalToNoise, bool Denoise,
    CorrectorStepRule Rule = CorrectorStepRule.PerSample) : ISampler
{
    /// <inheritdoc/>
    public int Steps => Intervals * (CorrectorSteps + 1) + (Denoise ? 1 : 0);

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        var scheduled = new ScheduledScore(score, Schedule);
        double[] t = Schedule.TimeGrid(Intervals);
        int d = particles.Dimension, n = particles.Count;
        var s = new double[particles.Data.Length];
        var z = new double[particles.Data.Length];
        var step = new double[n];
        var x = particles.Data;
        int evaluation = 0;
        record?.Invoke(0, particles);
        for (int i = 0; i < Intervals; i++)
        {
            double h = t[i] - t[i + 1], f = Schedule.Drift(t[i]), g2 = Schedule.DiffusionSquared(t[i]);
            double alpha = Math.Exp(2 * f * h);
            for (int j = 0; j < CorrectorSteps; j++)
            {
                CorrectorMove(scheduled, x, d, t[i], alpha, SignalToNoise, Rule, noise, firstParticle, ++evaluation, s, z, step);
                record?.Invoke(evaluation, particles);
            }
            double rootPredictor = Math.Sqrt(g2 * h);
            scheduled.At(x, t[i], s);
            noise.Fill(z, firstParticle, d, ++evaluation);
            for (int k = 0; k < x.Length; k++) x[k] += h * (g2 * s[k] - f * x[k]) + rootPredictor * z[k];
            record?.Invoke(evaluation, particles);
        }
        if (scheduled.Finish(x, t[Intervals], Denoise, s) > 0) record?.Invoke(evaluation + 1, particles);
    }

    /// <summary>
    /// One Langevin corrector move on p_t for the n × d block <paramref name="x"/>, in place:
    /// x_p ← x_p + ε_p s_p + √(2ε_p) z_p with ε_p from <paramref name="rule"/>; the noise is
    /// <c>noise</c> at (particle, <paramref name="step"/>). <paramref name="s"/>, <paramref name="z"/>
    /// (length n·d) and <paramref name="stepSizes"/> (length n) are scratch; on return they hold the
    /// score, the noise and the steps used.
    /// </summary>
    public static void CorrectorMove(ScheduledScore score, double[] x, int d, double t, double alpha, double snr, CorrectorStepRule rule,
        CounterNoise noise, long firstParticle, long step, double[] s, double[] z, double[] stepSizes)
    {
        int n = x.Length / d;
        score.At(x, t, s);
        noise.Fill(z, firstParticle, d, step);
        double r2 = snr * snr;
        if (rule == CorrectorStepRule.PerSample)
        {
            for (int p = 0; p < n; p++)
            {
                var (_, sn) = Norms(s, z, p, d);
                stepSizes[p] = sn > 0 ? 2 * alpha * r2 * d / (sn * sn) : 0;
            }
        }
        else
        {
            double zMean = 0, sMean = 0;
            for (int p = 0; p < n; p++)
            {
                var (zn, sn) = Norms(s, z, p, d);
                zMean += zn / n;
                sMean += sn / n;
            }
            Array.Fill(stepSizes, sMean > 0 ? 2 * alpha * r2 * (zMean * zMean) / (sMean * sMean) : 0);
        }
        for (int p = 0; p < n; p++)
        {
            double e = stepSizes[p], root = Math.Sqrt(2 * e);
            for (int k = p * d; k < (p + 1) * d; k++) x[k] += e * s[k] + root * z[k];
        }
    }

    static (double Noise, double Score) Norms(double[] s, double[] z, int p, int d)
    {
        double zz = 0, ss = 0;
        for (int k = p * d; k < (p + 1) * d; k++)
        {
            zz += z[k] * z[k];
            ss += s[k] * s[k];
        }
        return (Math.Sqrt(zz), Math.Sqrt(ss));
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) => null;
}

/// <summary>How the predictor–corrector's Langevin step size is set from the signal-to-noise ratio.</summary>
public enum CorrectorStepRule
{
    /// <summary>From each particle's own ‖z‖ and ‖s‖: batch-invariant.</summary>
    PerSample,

    /// <summary>From the batch means of ‖z‖ and ‖s‖ (score_sde, issue #41): depends on the batch; for comparison only.</summary>
    BatchAveraged,
}
