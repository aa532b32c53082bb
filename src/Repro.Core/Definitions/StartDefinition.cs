using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>Where particles start.</summary>
public abstract record StartDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>Why this start cannot serve data of dimension <paramref name="dimension"/>, or null when it can.</summary>
    public virtual string? RefusesDimension(int dimension) => null;

    /// <summary>Draws <paramref name="n"/> starting particles for <paramref name="target"/>.</summary>
    public abstract Points Draw(Mixture target, int n, RandomStream rng);
}
