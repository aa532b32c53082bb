using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// How a score network sees the noise level σ (EDM's preconditioning and noise embedding, Karras et
/// al. 2022, Table 1): not at all (a single-σ network, the seed report's), or through an embedding
/// of σ that lets one network answer at every level. Registered in <see cref="Catalog.Conditionings"/>.
/// </summary>
public abstract record ConditioningDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>True when the conditioned network answers s(x, σ) at every σ.</summary>
    public abstract bool IsNoiseConditional { get; }

    /// <summary>Reads the optional <c>conditioning</c> object of a model (absent: <see cref="NoConditioning"/>).</summary>
    public static ConditioningDefinition ReadOptional(ObjectReader model) =>
        model.OptionalObject("conditioning") is { } c ? Catalog.Conditionings.Read(c) : NoConditioning.Instance;
}
