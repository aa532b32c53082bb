using System.Text.RegularExpressions;
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

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng) => target.Sample(n, Smoothing.Gaussian(Sigma), rng);

    /// <summary>Reads <c>{ kind, sigma }</c>.</summary>
    public static ForwardNoisedStart Read(ObjectReader r) => new(r.Number("sigma", 0, 1e3));
}
