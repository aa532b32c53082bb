using Repro.Core.Numerics;

namespace Repro.Core.Sampling;

/// <summary>
/// What a sampler produced: the final particles and, for the first few particles, every state
/// along the way (<see cref="Trajectories"/>[t] holds the tracked particles after t steps, t = 0 the start).
/// </summary>
public sealed record SamplerRun(Points Samples, IReadOnlyList<Points> Trajectories, int Steps);
