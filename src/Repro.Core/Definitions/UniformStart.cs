using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>Uniform on the box [low, high]^d (Song &amp; Ermon's toy start).</summary>
public sealed record UniformStart(double Low, double High) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "uniform";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "uniform", "low": -3, "high": 3 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng)
    {
        var x = Points.Zeros(n, target.Dimension);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextUniform(Low, High);
        return x;
    }

    /// <summary>Reads <c>{ kind, low, high }</c>.</summary>
    public static UniformStart Read(ObjectReader r)
    {
        double low = r.Number("low");
        double high = r.Number("high");
        if (!(low < high)) throw r.Error("high", $"must be > low ({low}) (got {high})");
        return new UniformStart(low, high);
    }
}
