using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>One-step Tweedie denoiser x₀′ = x + σ² s(x), σ the score's noise level.</summary>
public sealed record TweedieSampler : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "tweedie";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "tweedie" }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() => new Sampling.TweedieDenoiser();

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => 0;

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override string? RefusesScoreSigma(double scoreSigma) =>
        scoreSigma > 0 ? null : "the Tweedie denoiser x + σ²s(x) needs a score at σ > 0";

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this;

    /// <summary>Reads <c>{ kind }</c>.</summary>
    public static TweedieSampler Read(ObjectReader r) => new();
}
