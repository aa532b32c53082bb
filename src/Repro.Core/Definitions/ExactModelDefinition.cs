using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>No network: every score is the exact ∇log p_σ of the target (a control experiment).</summary>
public sealed record ExactModelDefinition : ModelDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "exact";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "exact" }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsTrained => false;

    /// <inheritdoc/>
    public override bool IsNoiseConditional => true;

    /// <inheritdoc/>
    public override string Describe() => "exact ∇log p_σ (no network)";

    /// <summary>Reads <c>{ kind }</c>.</summary>
    public static ExactModelDefinition Read(ObjectReader r) => new();
}
