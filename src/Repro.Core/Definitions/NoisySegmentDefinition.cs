using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The seed report's noisy line in 2D: x ~ U[from, to], y = slope·x + intercept + N(0, noise²).
/// </summary>
public sealed record NoisySegmentDefinition(double Weight, double From, double To, double Slope, double Intercept, double Noise)
    : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "noisy-segment";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "noisy-segment", "weight": 1, "from": -1, "to": 2, "slope": 0.4, "intercept": 0.5, "noise": 0.2 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override Targets.IComponent Build() => new Targets.NoisySegmentComponent(From, To, Slope, Intercept, Noise);

    /// <inheritdoc/>
    public override string Label => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"noisy segment x ∈ [{From:G4}, {To:G4}]");

    /// <summary>Reads and validates <c>{ kind, weight, from, to, slope, intercept, noise }</c>.</summary>
    public static NoisySegmentDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        double from = r.Number("from");
        double to = r.Number("to");
        if (!(from < to)) throw r.Error("to", $"must be > from ({from}) (got {to})");
        double slope = r.Number("slope");
        double intercept = r.Number("intercept");
        double noise = r.Number("noise", 0, minExclusive: true);
        return new NoisySegmentDefinition(weight, from, to, slope, intercept, noise);
    }
}
