namespace Repro.Core.Definitions;

/// <summary>
/// Where an experiment's score comes from: a network to train (a backbone kind with its
/// <see cref="Conditioning"/>, trained by the definition's <see cref="ObjectiveDefinition"/>), or the
/// exact truth. The cut is NVlabs/edm's: backbone, conditioning (preconditioning), objective and
/// sampler are orthogonal and meet at s(x, σ). A new backbone is one record here plus one
/// <see cref="Catalog.Models"/> line, and a builder in Repro.Training's network catalog.
/// </summary>
public abstract record ModelDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>True when the model is trained (and the definition must say how).</summary>
    public abstract bool IsTrained { get; }

    /// <summary>How the network sees the noise level (optional JSON <c>conditioning</c>; <c>none</c> when absent).</summary>
    public ConditioningDefinition Conditioning { get; init; } = NoConditioning.Instance;

    /// <summary>True when the score answers at every σ (a noise-conditional network, or the exact truth).</summary>
    public virtual bool IsNoiseConditional => Conditioning.IsNoiseConditional;

    /// <summary>The hidden width a sweep may vary, or null when the model has none.</summary>
    public virtual int? Width => null;

    /// <summary>The same model with hidden width <paramref name="width"/> (only where <see cref="Width"/> is not null).</summary>
    /// <exception cref="InvalidOperationException">The model has no width.</exception>
    public virtual ModelDefinition WithWidth(int width) =>
        throw new InvalidOperationException($"model kind \"{KindName}\" has no hidden width to sweep");

    /// <summary>True when the backbone is built with conditioning <paramref name="kind"/> (its schema stanza lists exactly these).</summary>
    public virtual bool AcceptsConditioning(string kind) => true;

    /// <summary>Null when the model can learn the score of <paramref name="data"/>, else why not (the error text for <c>$.model.kind</c>).</summary>
    public virtual string? RefusesData(DataDefinition data) => null;

    /// <summary>One line for listings and report captions, e.g. <c>mlp(hidden 64, layers 3)</c>.</summary>
    public abstract string Describe();
}
