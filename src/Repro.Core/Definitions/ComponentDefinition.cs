using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>One weighted mixture component of a target, as written in a definition.</summary>
public abstract record ComponentDefinition(double Weight)
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>Dimension d of the component.</summary>
    public abstract int Dimension { get; }

    /// <summary>
    /// The particle shape the kind implies (K points in m dimensions, K·m = d), or null when a row is not a
    /// cloud of points by construction (a Gaussian in R^d may still be one: <c>data.particleShape</c> says so).
    /// </summary>
    public virtual ParticleShape? Particles => null;

    /// <summary>
    /// The identity of data the component reads from outside the definition (a data file's SHA-256), folded into the
    /// definition's <see cref="ExperimentDefinition.Hash"/> so a stored result is not reused after the file changes;
    /// null when the definition's text holds everything.
    /// </summary>
    public virtual string? ExternalIdentity => null;

    /// <summary>The component with its exact truth.</summary>
    public abstract Targets.IComponent Build();

    /// <summary>A short human label for legends and tables (the kind, plus where it sits when the kind says how).</summary>
    public virtual string Label => KindName;

    /// <summary>Reads <c>weight</c> in [<see cref="Limits.MinWeight"/>, 1], the one place the floor is applied.</summary>
    public static double ReadWeight(ObjectReader r) => r.Number("weight", Limits.MinWeight, 1);
}
