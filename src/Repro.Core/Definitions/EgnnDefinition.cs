using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// An E(n)-equivariant graph network (EGNN, Satorras, Hoogeboom &amp; Welling 2021) on clouds of K points in
/// R³ (Repro.Training's <c>EgnnScoreNet</c>): <c>layers</c> message-passing layers over the fully connected
/// graph, node features and messages of width <c>hidden</c>, σ as a node feature. Needs data with a particle
/// shape of K ≥ 2 points in 3 dimensions.
/// </summary>
/// <param name="Hidden">Width of node features and messages, 1 to <see cref="Limits.MaxHidden"/>.</param>
/// <param name="Layers">Number of EGNN layers, 1 to <see cref="Limits.MaxLayers"/>.</param>
public sealed record EgnnDefinition(int Hidden, int Layers) : ModelDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "egnn";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "egnn", "hidden": 16, "layers": 2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsTrained => true;

    /// <inheritdoc/>
    public override int? Width => Hidden;

    /// <inheritdoc/>
    public override ModelDefinition WithWidth(int width) => this with { Hidden = width };

    /// <summary>
    /// Only <c>none</c>: the EGNN reads log σ as a node feature of its own and is trained at one σ here; the
    /// <c>noise-embedding</c> conditioning is the MLP's EDM preconditioning, not built for this backbone.
    /// </summary>
    public override bool AcceptsConditioning(string kind) => kind == NoConditioning.Kind;

    /// <inheritdoc/>
    public override string? RefusesData(DataDefinition data) => data.Particles is { Space: 3, Count: >= 2 } ? null
        : $"\"{Kind}\" acts on point clouds: it needs data with a particle shape of K ≥ 2 points in 3 dimensions (data.particleShape, or a cloud component kind); "
          + (data.Particles is { } p ? $"this data is {p}" : $"this data declares none (d = {data.Dimension})");

    /// <inheritdoc/>
    public override string Describe() => $"egnn(hidden {Hidden}, layers {Layers}, conditioning {Conditioning.KindName})";

    /// <summary>Reads <c>{ kind, hidden, layers, conditioning? }</c>.</summary>
    public static EgnnDefinition Read(ObjectReader r)
    {
        var model = new EgnnDefinition((int)r.Integer("hidden", 1, Limits.MaxHidden), (int)r.Integer("layers", 1, Limits.MaxLayers))
        {
            Conditioning = ConditioningDefinition.ReadOptional(r),
        };
        if (!model.AcceptsConditioning(model.Conditioning.KindName))
            throw r.Error("conditioning", $"\"{Kind}\" reads σ as a node feature and is trained at one σ: conditioning \"{model.Conditioning.KindName}\" is not built for it (use \"none\")");
        return model;
    }
}
