using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The score a sampler follows: the trained network (<c>learned</c>), or the exact
/// ∇log p_σ of the target at <paramref name="Sigma"/> (<c>exact</c>; σ = 0 is ∇log p₀; absent
/// means the training σ, or 0 when nothing is trained).
/// </summary>
public sealed record ScoreSourceDefinition(string Source, double? Sigma)
{
    /// <summary>The learned network.</summary>
    public const string Learned = "learned";

    /// <summary>The exact truth.</summary>
    public const string Exact = "exact";

    /// <summary>Reads <c>{ kind: "learned" }</c> or <c>{ kind: "exact", sigma? }</c>.</summary>
    public static ScoreSourceDefinition Read(ObjectReader r)
    {
        string source = r.Choice("kind", Learned, Exact);
        double? sigma = null;
        if (source == Exact) sigma = r.OptionalNumber("sigma", 0, 1e3);
        r.Done();
        return new ScoreSourceDefinition(source, sigma);
    }
}
