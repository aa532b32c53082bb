using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Sampling;

/// <summary>
/// Unadjusted Langevin dynamics, x ← x + (η/2) s(x) + √η z, z ~ N(0, I), at the score's own σ.
/// With the exact score of N(μ, s²) its stationary law is Gaussian with variance
/// s² / (1 − η/(4s²)): the discretisation bias the sampler tests measure.
/// </summary>
/// <param name="StepSize">η &gt; 0.</param>
/// <param name="Steps">Number of updates.</param>
public sealed record UnadjustedLangevin(double StepSize, int Steps) : ISampler
{
    /// <inheritdoc/>
    public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
    {
        record?.Invoke(0, particles);
        var s = new double[particles.Data.Length];
        var z = new double[particles.Data.Length];
        double half = StepSize / 2, root = Math.Sqrt(StepSize);
        for (int t = 1; t <= Steps; t++)
        {
            // The step's noise depends only on (particle, step): draw it while the score is evaluated.
            int step = t;
            var drawing = Task.Run(() => noise.Fill(z, firstParticle, particles.Dimension, step));
            score.Score(particles.Data, score.Sigma, s);
            drawing.Wait();
            var x = particles.Data;
            for (int i = 0; i < x.Length; i++) x[i] += half * s[i] + root * z[i];
            record?.Invoke(t, particles);
        }
    }

    /// <inheritdoc/>
    public LangevinMove? MoveAt(int step, double scoreSigma) =>
        step >= 1 && step <= Steps ? new LangevinMove(StepSize, scoreSigma) : null;
}
