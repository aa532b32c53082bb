using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>Generation from noise: x ~ N(mean, std² I) (mean defaults to the origin).</summary>
public sealed record GaussianStart(IReadOnlyList<double>? Mean, double Std) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "gaussian";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "gaussian", "std": 2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override string? RefusesDimension(int dimension) =>
        Mean is { } mean && mean.Count != dimension ? $"start.mean has {mean.Count} entries but the data has dimension {dimension}" : null;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng)
    {
        int d = target.Dimension;
        var x = Points.Zeros(n, d);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
                x.Data[i * d + k] = (Mean?[k] ?? 0.0) + Std * rng.NextGaussian();
        return x;
    }

    /// <summary>Reads <c>{ kind, mean?, std }</c>.</summary>
    public static GaussianStart Read(ObjectReader r) =>
        new(r.Has("mean") ? r.Numbers("mean", 1, Limits.MaxDimension) : null, r.Number("std", 0, 1e6, minExclusive: true));
}
