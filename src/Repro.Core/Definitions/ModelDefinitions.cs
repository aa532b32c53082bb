using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>Where an experiment's score comes from: a network to train, or the exact truth.</summary>
public abstract record ModelDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>True when the model is trained (and the definition must say how).</summary>
    public abstract bool IsTrained { get; }
}

/// <summary>
/// The seed report's <c>ScoreNet(x_dim, hidden, num_layers)</c>: Linear(d, hidden), SiLU, then
/// (layers − 1) × [Linear(hidden, hidden), SiLU], then Linear(hidden, d).
/// </summary>
public sealed record MlpDefinition(int Hidden, int Layers) : ModelDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "mlp";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsTrained => true;

    /// <summary>Reads <c>{ kind, hidden, layers }</c>.</summary>
    public static MlpDefinition Read(ObjectReader r) =>
        new((int)r.Integer("hidden", 1, Limits.MaxHidden), (int)r.Integer("layers", 1, Limits.MaxLayers));
}

/// <summary>No network: every score is the exact ∇log p_σ of the target (a control experiment).</summary>
public sealed record ExactModelDefinition : ModelDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "exact";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsTrained => false;

    /// <summary>Reads <c>{ kind }</c>.</summary>
    public static ExactModelDefinition Read(ObjectReader r) => new();
}
