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
/// <remarks>
/// Options: <c>indexFrequencies</c> M (0 when absent) gives each point k the features sin(π f k/K), cos(π f k/K),
/// f = 1..M, so labelled points (a protein's residues in chain order) are told apart, as EDM for molecules feeds atom
/// types; the network is then not permutation-equivariant (its permutation error is reported, never gated). Conditioning
/// <c>noise-embedding</c> makes it noise-conditional by EDM's preconditioning (c_in-scaled coordinates, Fourier features
/// of ¼ ln σ, s = σ_d·c_in/σ·F − c_in²·P·x), for <c>schedule-dsm</c> training and the schedule samplers.
/// </remarks>
public sealed record EgnnDefinition(int Hidden, int Layers) : ModelDefinition
{
    /// <summary>Largest number of index frequencies.</summary>
    public const int MaxIndexFrequencies = 256;

    /// <summary>M, the index frequencies per point (0: unlabelled points).</summary>
    public int IndexFrequencies { get; init; }

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
    /// <c>none</c> (the EGNN reads log σ as a node feature of its own and is trained at one σ) or <c>noise-embedding</c>
    /// (EDM's preconditioning, noise-conditional).
    /// </summary>
    public override bool AcceptsConditioning(string kind) => kind is NoConditioning.Kind or NoiseEmbeddingConditioning.Kind;

    /// <inheritdoc/>
    public override string? RefusesData(DataDefinition data) => data.Particles is { Space: 3, Count: >= 2 } ? null
        : $"\"{Kind}\" acts on point clouds: it needs data with a particle shape of K ≥ 2 points in 3 dimensions (data.particleShape, or a cloud component kind); "
          + (data.Particles is { } p ? $"this data is {p}" : $"this data declares none (d = {data.Dimension})");

    /// <inheritdoc/>
    public override string Describe() => IndexFrequencies == 0
        ? $"egnn(hidden {Hidden}, layers {Layers}, conditioning {Conditioning.KindName})"
        : $"egnn(hidden {Hidden}, layers {Layers}, index features {IndexFrequencies}, conditioning {Conditioning.KindName})";

    /// <summary>Reads <c>{ kind, hidden, layers, indexFrequencies?, conditioning? }</c>.</summary>
    public static EgnnDefinition Read(ObjectReader r)
    {
        var model = new EgnnDefinition((int)r.Integer("hidden", 1, Limits.MaxHidden), (int)r.Integer("layers", 1, Limits.MaxLayers))
        {
            IndexFrequencies = (int)(r.OptionalInteger("indexFrequencies", 0, MaxIndexFrequencies) ?? 0),
            Conditioning = ConditioningDefinition.ReadOptional(r),
        };
        if (!model.AcceptsConditioning(model.Conditioning.KindName))
            throw r.Error("conditioning", $"\"{Kind}\" is built with conditioning \"none\" or \"{NoiseEmbeddingConditioning.Kind}\" (got \"{model.Conditioning.KindName}\")");
        return model;
    }
}
