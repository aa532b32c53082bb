using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The seed report's <c>ScoreNet(x_dim, hidden, num_layers)</c>: Linear(d, hidden), SiLU, then
/// (layers − 1) × [Linear(hidden, hidden), SiLU], then Linear(hidden, d).
/// </summary>
/// <param name="Hidden">Hidden width, 1 to <see cref="Limits.MaxHidden"/>.</param>
/// <param name="Layers">Number of hidden layers, 1 to <see cref="Limits.MaxLayers"/>.</param>
public sealed record MlpDefinition(int Hidden, int Layers) : ModelDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "mlp";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "mlp", "hidden": 16, "layers": 2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsTrained => true;

    /// <inheritdoc/>
    public override int? Width => Hidden;

    /// <inheritdoc/>
    public override ModelDefinition WithWidth(int width) => this with { Hidden = width };

    /// <inheritdoc/>
    public override string Describe() => $"mlp(hidden {Hidden}, layers {Layers}, conditioning {Conditioning.KindName})";

    /// <summary>Reads <c>{ kind, hidden, layers, conditioning? }</c>.</summary>
    public static MlpDefinition Read(ObjectReader r) =>
        new((int)r.Integer("hidden", 1, Limits.MaxHidden), (int)r.Integer("layers", 1, Limits.MaxLayers))
        {
            Conditioning = ConditioningDefinition.ReadOptional(r),
        };
}
