using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// No conditioning: the network is s_θ(x) and is trained at one σ, so it answers only there (the seed
/// report's <c>ScoreNet</c>; Vincent 2011's single-level DSM).
/// </summary>
public sealed record NoConditioning : ConditioningDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "none";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "none" }""";

    /// <summary>The one value.</summary>
    public static NoConditioning Instance { get; } = new();

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsNoiseConditional => false;

    /// <summary>Reads <c>{ kind: "none" }</c>.</summary>
    public static NoConditioning Read(ObjectReader r) => Instance;
}
