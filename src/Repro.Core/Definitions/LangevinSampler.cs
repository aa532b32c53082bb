using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>Unadjusted Langevin: x ← x + (η/2) s(x) + √η z.</summary>
public sealed record LangevinSampler(double StepSize, int Steps) : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "langevin";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "langevin", "stepSize": 0.05, "steps": 20 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() => new Sampling.UnadjustedLangevin(StepSize, Steps);

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { StepSize = StepSize * factor };

    /// <summary>Reads <c>{ kind, stepSize, steps }</c>.</summary>
    public static LangevinSampler Read(ObjectReader r) =>
        new(r.Number("stepSize", 0, 1e3, minExclusive: true), (int)r.Integer("steps", 1, Limits.MaxSteps));
}
