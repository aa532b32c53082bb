using Repro.Core.Numerics;
using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// The probability-flow ODE likelihood (Song et al. 2021, App. D.2; FFJORD): each point x, taken as
/// x_ε, is carried from t = ε up to T along dx/dt = F(x, t) while ℓ accumulates dℓ/dt = ∇·F =
/// d·f(t) − ½g²(t) ∇·s_t(x); then log p_ε(x) = log p_T(x_T) + ℓ (the continuity equation:
/// d log p_t(x_t)/dt = −∇·F). Heun integrates (x, ℓ) together, the divergence at the trial point
/// included. p_T is not known in practice, so the estimate uses the prior N(0, s²I) of the schedule;
/// <see cref="Result"/> keeps both pieces so the prior's share of the error can be separated.
/// </summary>
/// <param name="Schedule">The forward process.</param>
/// <param name="Intervals">Grid intervals (the sampling grid, run backwards: ε → T).</param>
/// <param name="Method">Euler or Heun.</param>
public sealed record ProbabilityFlowLikelihood(Schedule Schedule, int Intervals, OdeMethod Method)
{
    /// <summary>What the integration gives per point.</summary>
    /// <param name="Latent">x_T, n × d.</param>
    /// <param name="DeltaLogDensity">ℓ = ∫_ε^T ∇·F dt per point.</param>
    /// <param name="LogPrior">log N(x_T; 0, s²I) per point.</param>
    /// <param name="Evaluations">Score (or divergence) evaluations per point, probes excluded.</param>
    public sealed record Result(Points Latent, double[] DeltaLogDensity, double[] LogPrior, int Evaluations)
    {
        /// <summary>The likelihood estimate log N(x_T) + ℓ per point.</summary>
        public double[] LogDensity => DeltaLogDensity.Select((l, i) => l + LogPrior[i]).ToArray();
    }

    /// <summary>
    /// A deliberate defect, for the tests that must catch it: the drift and the divergence integrated with their signs
    /// flipped, dx/dt = −F, dℓ/dt = −∇·F, i.e. the flow run the wrong way along the grid (openai/consistency_models_cifar10
    /// issue 12). <see cref="Decode"/> is never reversed: it is the sampler's own path, so the round trip shows the fault.
    /// </summary>
    public bool Reversed { get; init; }

    /// <summary>The rising grid ε = t₀ &lt; … &lt; t_N = T: the sampling grid reversed.</summary>
    public double[] EncodingGrid() => Schedule.TimeGrid(Intervals).Reverse().ToArray();

    /// <summary>
    /// Integrates the n × d block <paramref name="x"/> (global indices from <paramref name="firstParticle"/>)
    /// from ε to T with <paramref name="divergence"/> (exact or Hutchinson).
    /// </summary>
    public Result Evaluate(IScoreSource score, Points x, DivergenceEstimator divergence, long firstParticle = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var scheduled = new ScheduledScore(score, Schedule);
        int n = x.Count, d = x.Dimension;
        var state = (double[])x.Data.Clone();
        var delta = new double[n];
        var drift = new double[state.Length];
        var div = new double[n];
        var trial = new double[state.Length];
        var drift1 = new double[state.Length];
        var div1 = new double[n];
        double[] grid = EncodingGrid();
        int evaluations = 0;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t0 = grid[i], t1 = grid[i + 1], dt = Reversed ? t0 - t1 : t1 - t0;
            DriftAndDivergence(scheduled, divergence, state, d, t0, firstParticle, drift, div);
            evaluations++;
            if (Method == OdeMethod.Euler)
            {
                for (int k = 0; k < state.Length; k++) state[k] += dt * drift[k];
                for (int p = 0; p < n; p++) delta[p] += dt * div[p];
                continue;
            }
            for (int k = 0; k < state.Length; k++) trial[k] = state[k] + dt * drift[k];
            DriftAndDivergence(scheduled, divergence, trial, d, t1, firstParticle, drift1, div1);
            evaluations++;
            for (int k = 0; k < state.Length; k++) state[k] += 0.5 * dt * (drift[k] + drift1[k]);
            for (int p = 0; p < n; p++) delta[p] += 0.5 * dt * (div[p] + div1[p]);
        }
        var latent = new Points(state, d);
        double s = Schedule.PriorStd;
        var logPrior = new double[n];
        for (int p = 0; p < n; p++)
        {
            double q = 0;
            foreach (double v in latent.Row(p)) q += v * v;
            logPrior[p] = -q / (2 * s * s) - d * (StandardNormal.HalfLogTwoPi + Math.Log(s));
        }
        return new Result(latent, delta, logPrior, evaluations);
    }

    /// <summary>Carries latents x_T back to x_ε along the ODE (the sampling direction), for a round trip.</summary>
    public Points Decode(IScoreSource score, Points latent)
    {
        var x = latent.Clone();
        ProbabilityFlowOde.Integrate(new ScheduledScore(score, Schedule), x.Data, Schedule.TimeGrid(Intervals), Method);
        return x;
    }

    static void DriftAndDivergence(ScheduledScore score, DivergenceEstimator divergence, double[] x, int d, double t, long first,
        double[] drift, double[] div)
    {
        ProbabilityFlowOde.Drift(score, x, t, drift);
        divergence.Divergence(score, x, d, t, first, div);
        double f = score.Schedule.Drift(t), half = 0.5 * score.Schedule.DiffusionSquared(t);
        for (int p = 0; p < div.Length; p++) div[p] = d * f - half * div[p];
    }
}
