using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// Annealed Langevin (Song &amp; Ermon 2019, Alg. 1): σ₁ = sigmaMax &gt; … &gt; σ_L = sigmaMin
/// geometric, <c>stepsPerLevel</c> steps at each with step η·(σᵢ/σ_L)².
/// </summary>
public sealed record AnnealedLangevinSampler(double SigmaMax, double SigmaMin, int Levels, int StepsPerLevel, double StepSize)
    : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "annealed-langevin";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "annealed-langevin", "sigmaMax": 5, "sigmaMin": 0.5, "levels": 4, "stepsPerLevel": 5, "stepSize": 0.05 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalScore => true;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() =>
        new Sampling.AnnealedLangevin(SigmaMax, SigmaMin, Levels, StepsPerLevel, StepSize);

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => SigmaMin;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { StepSize = StepSize * factor };

    /// <summary>Reads <c>{ kind, sigmaMax, sigmaMin, levels, stepsPerLevel, stepSize }</c>.</summary>
    public static AnnealedLangevinSampler Read(ObjectReader r)
    {
        double max = r.Number("sigmaMax", 0, 1e3, minExclusive: true);
        double min = r.Number("sigmaMin", 0, 1e3, minExclusive: true);
        if (!(min < max)) throw r.Error("sigmaMin", $"must be < sigmaMax ({max}) (got {min})");
        int levels = (int)r.Integer("levels", 2, 10_000);
        int steps = (int)r.Integer("stepsPerLevel", 1, Limits.MaxSteps);
        if ((long)levels * steps > Limits.MaxSteps)
            throw r.Error("stepsPerLevel", $"levels × stepsPerLevel must be ≤ {Limits.MaxSteps} (got {levels} × {steps} = {(long)levels * steps})");
        double eta = r.Number("stepSize", 0, 1e3, minExclusive: true);
        return new AnnealedLangevinSampler(max, min, levels, steps, eta);
    }
}
