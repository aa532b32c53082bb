using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// The reverse-time SDE dx = [f x − g² ∇log p_t(x)] dt + g dw̄ (Song et al. 2021, eq. 6) integrated by
/// Euler–Maruyama from x_T ~ prior over the schedule's grid T = t₀ &gt; … &gt; t_N = ε: with hᵢ = tᵢ − tᵢ₊₁,
/// x ← x − hᵢ f(tᵢ) x + hᵢ g²(tᵢ) s_{tᵢ}(x) + g(tᵢ)√hᵢ zᵢ (score_sde's <c>EulerMaruyamaPredictor</c>).
/// Every step adds its noise; the run ends as <see cref="ScheduledScore.Finish"/> says.
/// </summary>
/// <param name="Schedule">The forward process being reversed.</param>
/// <param name="Intervals">N ≥ 1 grid intervals.</param>
/// <param name="Denoise">End with the Tweedie mean E[x₀ | x_ε] (one more evaluation) instead of x_ε/a(ε).</param>
public sealed record ReverseSde(Schedule Schedule, int Intervals, bool Denoise) : ISampler
{
    /// <inheritdoc/>
    public int Steps => Intervals + (Denoise ? 1 : 0);

    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        var scheduled = new ScheduledScore(score, Schedule);
        double[] t = Schedule.TimeGrid(Intervals);
        var s = new double[particles.Data.Length];
        var z = new double[particles.Data.Length];
        var x = particles.Data;
        record?.Invoke(0, particles);
        for (int i = 0; i < Intervals; i++)
        {
            double h = t[i] - t[i + 1], f = Schedule.Drift(t[i]), g2 = Schedule.DiffusionSquared(t[i]);
            double root = Math.Sqrt(g2 * h);
            scheduled.At(x, t[i], s);
            noise.Fill(z, firstParticle, particles.Dimension, i + 1);
            for (int k = 0; k < x.Length; k++) x[k] += h * (g2 * s[k] - f * x[k]) + root * z[k];
            record?.Invoke(i + 1, particles);
        }
        if (scheduled.Finish(x, t[Intervals], Denoise, s) > 0) record?.Invoke(Steps, particles);
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) => null;
}
