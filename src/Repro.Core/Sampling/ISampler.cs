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
}
