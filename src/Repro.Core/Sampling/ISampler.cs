using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Sampling;

/// <summary>
/// A sampler over a score source. Particle i's noise at step t is <c>noise.Gaussian(i, t, k)</c>
/// and depends on nothing else, so results do not change with chunking or thread count.
/// </summary>
public interface ISampler
{
    /// <summary>Total number of score evaluations per particle.</summary>
    int Steps { get; }

    /// <summary>
    /// Moves <paramref name="particles"/> (global indices <paramref name="firstParticle"/> onward)
    /// in place; calls <paramref name="record"/> with (step, particles) after every step
    /// (step 0 = the start) when it is not null.
    /// </summary>
    void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record);

    /// <summary>
    /// The move made at step <paramref name="step"/> (1-based) when it is a Langevin move
    /// x′ = x + (η/2) s(x, σ) + √η z; null when it is not (a denoising step, a deterministic update).
    /// Lets a diagnostic judge every move against the exact law without knowing the sampler.
    /// </summary>
    LangevinMove? MoveAt(int step, double scoreSigma);
}

/// <summary>A Langevin move's step size η and the σ of the score it follows.</summary>
public readonly record struct LangevinMove(double StepSize, double Sigma);
