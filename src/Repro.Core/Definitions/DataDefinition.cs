using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The target: a mixture of weighted components in d dimensions, the training-set size N, and the
/// particle shape of a row when it is a cloud of points (declared as <c>particleShape</c>, or implied by
/// cloud kinds that know their K).
/// </summary>
public sealed record DataDefinition(int N, IReadOnlyList<ComponentDefinition> Components)
{
    /// <summary>Dimension d shared by every component.</summary>
    public int Dimension => Components[0].Dimension;

    /// <summary>True when the target lives on a subspace (zero centre of mass): its noise is projected (<see cref="Targets.Mixture.ConstrainsNoise"/>).</summary>
    public bool OnSubspace { get; init; }

    /// <summary>K points in m dimensions per row (K·m = d), or null when the data is not a point cloud.</summary>
    public ParticleShape? Particles { get; init; }

    /// <summary>Mixture weights in component order.</summary>
    public IReadOnlyList<double> Weights => Components.Select(c => c.Weight).ToArray();

    /// <summary>The target p₀ as a mixture with exact truth.</summary>
    public Targets.Mixture BuildTarget() => new(Weights, Components.Select(c => c.Build()).ToArray());

    /// <summary>
    /// Reads <c>{ n, components, particleShape? }</c>; checks dimensions agree, weights sum to 1, and a declared
    /// particle shape has K·m = d and agrees with the shape every cloud component implies.
    /// </summary>
    public static DataDefinition Read(ObjectReader r)
    {
        int n = (int)r.Integer("n", 2, Limits.MaxSamples);
        var components = r.Objects("components", c => Catalog.Components.Read(c), 1, Limits.MaxComponents);
        int d = components[0].Dimension;
        for (int i = 1; i < components.Count; i++)
            if (components[i].Dimension != d)
                throw r.ItemError("components", i, $"has dimension {components[i].Dimension} but components[0] has {d}");
        // Built once here (a Gaussian's factorisation is O(d³)): the state-space check and OnSubspace share them.
        var built = components.Select(c => c.Build()).ToArray();
        for (int i = 1; i < components.Count; i++)
            if (!Targets.Mixture.SameStateSpace(built[0], built[i]))
                throw r.ItemError("components", i,
                    $"kind \"{components[i].KindName}\" lives in another state space than components[0] (\"{components[0].KindName}\"): one is the zero-centre-of-mass subspace, the other is not, so they have no common density to mix");
        double total = components.Sum(c => c.Weight);
        if (Math.Abs(total - 1.0) > 1e-9)
            // 1e-9 admits the rounding of decimal weights (ten digits of 1/3 each), not a real mismatch.
            throw r.Error("components", $"weights must sum to 1 within 1e-9 (got {total:R}; write thirds to 10 digits, e.g. 0.3333333333, 0.3333333333, 0.3333333334)");
        var particles = ReadParticles(r, components, d);
        r.Done();
        return new DataDefinition(n, components) { Particles = particles, OnSubspace = new Targets.Mixture(components.Select(c => c.Weight).ToArray(), built).ConstrainsNoise };
    }

    /// <summary>The declared shape (checked against d and the components'), else the one the components imply.</summary>
    static ParticleShape? ReadParticles(ObjectReader r, IReadOnlyList<ComponentDefinition> components, int d)
    {
        // Components of one dimension that know their K agree on it (K = d/3), so the first one speaks for all.
        var implied = components.Select(c => c.Particles).FirstOrDefault(p => p is not null);
        if (r.OptionalObject("particleShape") is not { } reader) return implied;
        var declared = ParticleShape.Read(reader);
        if (declared.Dimension != d)
            throw r.Error("particleShape", $"count × dimension = {declared.Count} × {declared.Space} = {declared.Dimension} must equal the data's dimension d = {d}");
        if (implied is not null && declared != implied)
            throw r.Error("particleShape", $"says {declared} but the components are {implied}");
        return declared;
    }
}
