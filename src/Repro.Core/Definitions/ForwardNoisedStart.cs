using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>The seed report's forward process: x_T = x₀ + σ ε from fresh draws of p₀.</summary>
public sealed record ForwardNoisedStart(double Sigma) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "forward-noised";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "forward-noised", "sigma": 0.5 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng) => target.Sample(n, Smoothing.Gaussian(Sigma), rng);

    /// <summary>Reads <c>{ kind, sigma }</c>.</summary>
    public static ForwardNoisedStart Read(ObjectReader r) => new(r.Number("sigma", 0, 1e3));
}
