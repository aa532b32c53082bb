using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// The probability-flow ODE dx/dt = F(x, t) = f(t) x − ½ g²(t) ∇log p_t(x) (Song et al. 2021, eq. 13;
/// EDM eq. 4), whose solution carries p_T to p_ε deterministically, integrated over the schedule's
/// grid T = t₀ &gt; … &gt; t_N = ε. Euler: x ← x + Δᵢ F(x, tᵢ), Δᵢ = tᵢ₊₁ − tᵢ, one evaluation per step,
/// global error O(1/N). Heun (EDM Algorithm 1, lines 5–8): x̃ = x + Δᵢ F(x, tᵢ), then
/// x ← x + Δᵢ [F(x, tᵢ) + F(x̃, tᵢ₊₁)]/2, two evaluations per step (every step, since the grid ends at
/// ε &gt; 0), global error O(1/N²). No noise: the start alone decides the result.
/// </summary>
/// <param name="Schedule">The forward process.</param>
/// <param name="Intervals">N ≥ 1 grid intervals.</param>
/// <param name="Method">Euler or Heun.</param>
/// <param name="Denoise">End with the Tweedie mean E[x₀ | x_ε] (one more evaluation) instead of x_ε/a(ε).</param>
public sealed record ProbabilityFlowOde(Schedule Schedule, int Intervals, OdeMethod Method, bool Denoise) : ISampler
{
    /// <inheritdoc/>
    public int Steps => Intervals * (Method == OdeMethod.Heun ? 2 : 1) + (Denoise ? 1 : 0);

    /// <summary>
    /// A deliberate defect (<see cref="SamplerDefect.ReversedProbabilityFlow"/>, <c>repro calibrate --runs</c> only):
    /// the drift's sign flipped, dx/dt = −F(x, t), i.e. the flow run in the wrong time direction along the grid.
    /// </summary>
    public bool Reversed { get; init; }

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        var scheduled = new ScheduledScore(score, Schedule);
        record?.Invoke(0, particles);
        int done = Integrate(scheduled, particles.Data, Schedule.TimeGrid(Intervals), Method,
            record is null ? null : step => record(step, particles), Reversed);
        var buffer = new double[particles.Data.Length];
        if (scheduled.Finish(particles.Data, Schedule.TimeMin, Denoise, buffer) > 0) record?.Invoke(done + 1, particles);
    }

    /// <summary>
    /// Integrates dx/dt = F(x, t) in place along <paramref name="grid"/> (either direction: a rising grid
    /// runs data → noise, as the likelihood does); calls <paramref name="afterEvaluation"/> with the
    /// running evaluation count after each step; <paramref name="reversed"/> flips the drift's sign (a deliberate
    /// defect, <see cref="Reversed"/>). Returns the evaluations used.
    /// </summary>
    public static int Integrate(ScheduledScore score, double[] x, IReadOnlyList<double> grid, OdeMethod method, Action<int>? afterEvaluation = null,
        bool reversed = false)
    {
        var drift = new double[x.Length];
        var trial = method == OdeMethod.Heun ? new double[x.Length] : null;
        var drift2 = method == OdeMethod.Heun ? new double[x.Length] : null;
        int evaluations = 0;
        for (int i = 0; i + 1 < grid.Count; i++)
        {
            double t0 = grid[i], t1 = grid[i + 1], dt = reversed ? t0 - t1 : t1 - t0;
            Drift(score, x, t0, drift);
            evaluations++;
            if (method == OdeMethod.Euler)
            {
                for (int k = 0; k < x.Length; k++) x[k] += dt * drift[k];
            }
            else
            {
                for (int k = 0; k < x.Length; k++) trial![k] = x[k] + dt * drift[k];
                Drift(score, trial!, t1, drift2!);
                evaluations++;
                for (int k = 0; k < x.Length; k++) x[k] += 0.5 * dt * (drift[k] + drift2![k]);
            }
            afterEvaluation?.Invoke(evaluations);
        }
        return evaluations;
    }

    /// <summary>F(x, t) = f(t) x − ½ g²(t) ∇log p_t(x) for a block of points.</summary>
    public static void Drift(ScheduledScore score, ReadOnlySpan<double> x, double t, Span<double> drift)
    {
        score.At(x, t, drift);
        double f = score.Schedule.Drift(t), half = 0.5 * score.Schedule.DiffusionSquared(t);
        for (int k = 0; k < x.Length; k++) drift[k] = f * x[k] - half * drift[k];
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) => null;
}

/// <summary>A fixed-grid ODE step.</summary>
public enum OdeMethod
{
    /// <summary>Explicit Euler, first order.</summary>
    Euler,

    /// <summary>Heun's method (explicit trapezoid), second order: EDM's sampler step.</summary>
    Heun,
}
