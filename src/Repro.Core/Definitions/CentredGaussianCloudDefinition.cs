using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// An isotropic Gaussian cloud of K points in R³ on the zero-centre-of-mass subspace (a row of 3K
/// coordinates x₁, y₁, z₁, x₂, …), each coordinate of variance <c>variance</c> before centring.
/// </summary>
public sealed record CentredGaussianCloudDefinition(double Weight, int Count, double Variance) : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "centred-gaussian-cloud";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "centred-gaussian-cloud", "weight": 1, "count": 3, "variance": 1.0 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => 3 * Count;

    /// <inheritdoc/>
    public override ParticleShape? Particles => new(Count, 3);

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.CentredGaussianCloudComponent(Count, Variance);

    /// <summary>Reads and validates <c>{ kind, weight, count, variance }</c>; 3·count may not exceed <see cref="Limits.MaxDimension"/>.</summary>
    public static CentredGaussianCloudDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        int count = (int)r.Integer("count", 2, Limits.MaxDimension / 3);
        double variance = r.Number("variance", 0, minExclusive: true);
        return new CentredGaussianCloudDefinition(weight, count, variance);
    }
}
