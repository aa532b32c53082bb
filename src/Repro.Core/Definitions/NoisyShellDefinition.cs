using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>A noisy spherical shell in R³: x = radius·u + jitter·η, u uniform on the sphere, η ~ N(0, I₃).</summary>
public sealed record NoisyShellDefinition(double Weight, double Radius, double Jitter) : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "noisy-shell";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "noisy-shell", "weight": 1, "radius": 1.0, "jitter": 0.2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => 3;

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.NoisyShellComponent(Radius, Jitter);

    /// <summary>Reads and validates <c>{ kind, weight, radius, jitter }</c>.</summary>
    public static NoisyShellDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        double radius = r.Number("radius", 0);
        double jitter = r.Number("jitter", 0, minExclusive: true);
        return new NoisyShellDefinition(weight, radius, jitter);
    }
}
