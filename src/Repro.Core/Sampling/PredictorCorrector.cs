using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3; score_sde's <c>pc_sampler</c>
/// order): at each grid time tᵢ, i = 0..N−1, first <c>CorrectorSteps</c> Langevin corrector moves on
/// p_{tᵢ}, then one reverse-SDE Euler–Maruyama predictor step tᵢ → tᵢ₊₁ (as <see cref="ReverseSde"/>).
/// The predictor's last step adds its noise; the run then ends as <see cref="ScheduledScore.Finish"/>
/// says (no corrector at ε). Each grid time costs 1 + M score evaluations: s_{tᵢ} at the particles,
/// then one per corrector move (at the proposal, or after the move), and the predictor uses the last.
/// </summary>
/// <remarks>
/// Corrector proposal for particle p: x′_p = x_p + ε_p s_p + √(2ε_p) z_p with
/// ε_p = 2α (r √d / ‖s_p‖)², r the signal-to-noise ratio and α = exp(2 f(tᵢ) hᵢ) (1 for VE and
/// EDM, score_sde's 1 − βᵢ for VP). The paper writes ‖z‖ for √d; using the realised ‖z_p‖ of the very
/// noise the move adds would couple step and noise, and the added variance would grow by (d + 2)/d
/// (2× in d = 2), so the step uses its expectation E‖z‖² = d. The norms are the particle's own, so a particle's path does not
/// depend on which other particles share its batch; score_sde averages both norms over the batch
/// (its issue #41), which <see cref="CorrectorStepRule.BatchAveraged"/> reproduces for comparison only.
/// A particle whose score is exactly zero is not moved by the corrector.
/// <para>
/// The per-sample step is not neutral: it is a function of the position, ε(x) = c/‖s_t(x)‖², and an
/// unadjusted Langevin move with a position-dependent step leaves p_t/ε ∝ p_t‖s_t‖² invariant in the
/// small-step limit, not p_t (the adjoint of ε(x)(s·∇ + Δ) vanishes on π only when ∇(επ) = επ s). On
/// N(μ, vI_d) that inflates E‖x − μ‖² by (d + 2)/d, and in d = 2 the step explodes where ‖s_p‖ → 0
/// near a mode (the two blobs' within-blob variance comes out 24 instead of 1 with the exact score).
/// The default corrector (<see cref="CorrectorStepRule.MetropolisAdjusted"/>) therefore accepts each
/// proposal with the Metropolis–Hastings probability of MALA (Roberts &amp; Tweedie 1996) for the
/// position-dependent proposal q(x′ | x) = N(x′; x + ε(x) s(x), 2ε(x) I),
/// <code>A = min(1, exp(Δ) q(x | x′) / q(x′ | x)),  Δ = ½ (s(x) + s(x′))·(x′ − x) ≈ log p_t(x′) − log p_t(x),</code>
/// the log-density difference taken as the trapezoid rule of the line integral of the score, since a
/// score network gives no log p (Sjöberg et al. 2023, "MCMC-correction of score-based diffusion
/// models", §3.2). Δ is exact when log p_t is quadratic (every Gaussian), so there the corrector leaves
/// p_t exactly invariant; otherwise its error is third order in the move. The Gaussian densities are
/// taken on the noise's own space (rank k of the noise projection, d − 3 for centred 3D clouds).
/// score_sde's unadjusted per-sample move stays available as <see cref="CorrectorStepRule.PerSample"/>.
/// </para>
/// </remarks>
/// <param name="Schedule">The forward process being reversed.</param>
/// <param name="Intervals">N ≥ 1 grid intervals.</param>
/// <param name="CorrectorSteps">M ≥ 1 corrector moves per grid time.</param>
/// <param name="SignalToNoise">r &gt; 0 (score_sde: 0.16 for VE, 0.01 for VP).</param>
/// <param name="Denoise">End with the Tweedie mean E[x₀ | x_ε] (one more evaluation) instead of x_ε/a(ε).</param>
/// <param name="Rule">Metropolis-adjusted per-sample step (the default), unadjusted per-sample, or batch-averaged norms.</param>
/// <param name="CorrectorSigmaMin">
/// The corrector runs only at grid times whose σ-space noise level σ(tᵢ)/a(tᵢ) is at least this (0: at every
/// grid time). A corrector equilibrates the particles to whatever law the score implies at that level, so it
/// must not run where the score is unreliable: DSM learns the score worst as σ → 0, where the regression
/// target's noise grows as 1/σ. EDM restricts its stochastic "churn" to a band [S_tmin, S_tmax] for the same
/// reason (Karras et al. 2022, §4 and Table 5).
/// </param>
public sealed record PredictorCorrector(Schedule Schedule, int Intervals, int CorrectorSteps, double SignalToNoise, bool Denoise,
    CorrectorStepRule Rule = CorrectorStepRule.MetropolisAdjusted, double CorrectorSigmaMin = 0) : ISampler
{
    /// <inheritdoc/>
    public int Steps
    {
        get
        {
            double[] t = Schedule.TimeGrid(Intervals);
            int corrected = 0;
            for (int i = 0; i < Intervals; i++) if (Corrects(t[i])) corrected++;
            return Intervals + corrected * CorrectorSteps + (Denoise ? 1 : 0);
        }
    }

    /// <summary>True when the corrector runs at grid time <paramref name="t"/>: σ(t)/a(t) ≥ <see cref="CorrectorSigmaMin"/>.</summary>
    bool Corrects(double t) => Schedule.Sigma(t) / Schedule.Scale(t) >= CorrectorSigmaMin;

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        var scheduled = new ScheduledScore(score, Schedule);
        double[] t = Schedule.TimeGrid(Intervals);
        int d = particles.Dimension;
        var buffers = new CorrectorBuffers(particles.Data.Length, d, noise);
        var x = particles.Data;
        var s = buffers.Score;
        int evaluation = 0;
        record?.Invoke(0, particles);
        for (int i = 0; i < Intervals; i++)
        {
            double h = t[i] - t[i + 1], f = Schedule.Drift(t[i]), g2 = Schedule.DiffusionSquared(t[i]);
            double alpha = Math.Exp(2 * f * h);
            scheduled.At(x, t[i], s);
            for (int j = 0; j < (Corrects(t[i]) ? CorrectorSteps : 0); j++)
            {
                CorrectorMove(scheduled, x, t[i], alpha, SignalToNoise, Rule, noise, firstParticle, ++evaluation, buffers);
                record?.Invoke(evaluation, particles);
            }
            double rootPredictor = Math.Sqrt(g2 * h);
            var z = buffers.Noise;
            noise.Fill(z, firstParticle, d, ++evaluation);
            for (int k = 0; k < x.Length; k++) x[k] += h * (g2 * s[k] - f * x[k]) + rootPredictor * z[k];
            record?.Invoke(evaluation, particles);
        }
        if (scheduled.Finish(x, t[Intervals], Denoise, buffers.Proposal) > 0) record?.Invoke(evaluation + 1, particles);
    }

    /// <summary>
    /// One corrector move on p_t for the n × d block <paramref name="x"/>, in place. On entry
    /// <c>buffers.Score</c> holds s_t(x); on return it holds s_t at the particles' new positions (one
    /// score evaluation either way), <c>buffers.StepSizes</c> the steps ε_p proposed and <c>buffers.Noise</c> the
    /// noise z_p, drawn as <c>noise</c> at (particle, <paramref name="step"/>). Returns the number of
    /// particles that moved (all of them for the unadjusted rules).
    /// </summary>
    public static int CorrectorMove(ScheduledScore score, double[] x, double t, double alpha, double snr, CorrectorStepRule rule,
        CounterNoise noise, long firstParticle, long step, CorrectorBuffers buffers)
    {
        int d = buffers.Dimension, n = x.Length / d;
        double[] s = buffers.Score, z = buffers.Noise, stepSizes = buffers.StepSizes;
        noise.Fill(z, firstParticle, d, step);
        double r2 = snr * snr;
        if (rule == CorrectorStepRule.BatchAveraged)
        {
            double zMean = 0, sMean = 0;
            for (int p = 0; p < n; p++)
            {
                zMean += Math.Sqrt(SquaredNorm(z, p, d)) / n;
                sMean += Math.Sqrt(SquaredNorm(s, p, d)) / n;
            }
            Array.Fill(stepSizes, sMean > 0 ? 2 * alpha * r2 * (zMean * zMean) / (sMean * sMean) : 0);
        }
        else
        {
            for (int p = 0; p < n; p++) stepSizes[p] = PerSampleStep(alpha, r2, d, SquaredNorm(s, p, d));
        }
        if (rule != CorrectorStepRule.MetropolisAdjusted)
        {
            for (int p = 0; p < n; p++)
            {
                double e = stepSizes[p], root = Math.Sqrt(2 * e);
                for (int k = p * d; k < (p + 1) * d; k++) x[k] += e * s[k] + root * z[k];
            }
            score.At(x, t, s);
            return n;
        }

        double[] y = buffers.Proposal, sy = buffers.ProposalScore;
        for (int p = 0; p < n; p++)
        {
            double e = stepSizes[p], root = Math.Sqrt(2 * e);
            for (int k = p * d; k < (p + 1) * d; k++) y[k] = x[k] + e * s[k] + root * z[k];
        }
        score.At(y, t, sy);
        int moved = 0, rank = buffers.Rank;
        for (int p = 0; p < n; p++)
        {
            double e = stepSizes[p];
            if (e == 0) continue;
            double ey = PerSampleStep(alpha, r2, d, SquaredNorm(sy, p, d));
            if (ey == 0) continue;
            // log q(x′ | x) = −‖z‖²/2 − (k/2) log(4π ε): the forward residual x′ − x − ε s(x) is √(2ε) z.
            double delta = 0, forward = 0, backward = 0;
            for (int k = p * d; k < (p + 1) * d; k++)
            {
                double move = y[k] - x[k];
                delta += 0.5 * (s[k] + sy[k]) * move;
                forward += z[k] * z[k];
                double back = -move - ey * sy[k];
                backward += back * back;
            }
            double logRatio = delta - backward / (4 * ey) + 0.5 * forward - 0.5 * rank * Math.Log(ey / e);
            if (Math.Log(noise.Uniform(firstParticle + p, step)) < logRatio)
            {
                Array.Copy(y, p * d, x, p * d, d);
                Array.Copy(sy, p * d, s, p * d, d);
                moved++;
            }
        }
        return moved;
    }

    /// <summary>ε = 2α r² d / ‖s‖² (0 where the score vanishes: the particle is not moved).</summary>
    static double PerSampleStep(double alpha, double r2, int d, double squaredScore) =>
        squaredScore > 0 && double.IsFinite(squaredScore) ? 2 * alpha * r2 * d / squaredScore : 0;

    static double SquaredNorm(double[] v, int p, int d)
    {
        double sum = 0;
        for (int k = p * d; k < (p + 1) * d; k++) sum += v[k] * v[k];
        return sum;
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) => null;
}

/// <summary>
/// Scratch for <see cref="PredictorCorrector.CorrectorMove"/> on an n × d block: the score at the particles,
/// the noise, the proposal and its score, the per-particle steps, and the rank k of the noise's space.
/// </summary>
public sealed class CorrectorBuffers
{
    /// <summary>Buffers for <paramref name="length"/> = n·d values of dimension <paramref name="dimension"/>.</summary>
    public CorrectorBuffers(int length, int dimension, CounterNoise noise)
    {
        Dimension = dimension;
        Score = new double[length];
        Noise = new double[length];
        Proposal = new double[length];
        ProposalScore = new double[length];
        StepSizes = new double[length / dimension];
        Rank = RankOf(noise.Projection, dimension);
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>s_t at the particles (n × d).</summary>
    public double[] Score { get; }

    /// <summary>The corrector's noise z (n × d).</summary>
    public double[] Noise { get; }

    /// <summary>The proposal x′ (n × d).</summary>
    public double[] Proposal { get; }

    /// <summary>s_t(x′) (n × d).</summary>
    public double[] ProposalScore { get; }

    /// <summary>The steps ε_p proposed (n).</summary>
    public double[] StepSizes { get; }

    /// <summary>The dimension k of the space the noise lives in: d, or the trace of its projection.</summary>
    public int Rank { get; }

    static int RankOf(Targets.NoiseProjection? projection, int d)
    {
        if (projection is null) return d;
        double trace = 0;
        var e = new double[d];
        for (int i = 0; i < d; i++)
        {
            Array.Clear(e);
            e[i] = 1;
            projection(e);
            trace += e[i];
        }
        return (int)Math.Round(trace);
    }
}

/// <summary>How the predictor–corrector's Langevin step size is set from the signal-to-noise ratio.</summary>
public enum CorrectorStepRule
{
    /// <summary>
    /// From each particle's own ‖s‖, each proposal accepted or rejected by Metropolis–Hastings (MALA with the
    /// trapezoid log-density difference): batch-invariant and leaves p_t invariant (exactly for Gaussian p_t).
    /// </summary>
    MetropolisAdjusted,

    /// <summary>From each particle's own ‖s‖, every move accepted (Song et al.'s Algorithm 4 per sample): batch-invariant, but keeps p_t‖s_t‖², not p_t.</summary>
    PerSample,

    /// <summary>From the batch means of ‖z‖ and ‖s‖ (score_sde, issue #41): depends on the batch; for comparison only.</summary>
    BatchAveraged,
}
