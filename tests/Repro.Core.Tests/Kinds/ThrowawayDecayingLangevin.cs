using Repro.Core.Definitions;
using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// A throwaway sampler kind in one file (definition, reader, example and sampler): Langevin whose
/// step shrinks as η/t, to show that a new sampler is one file plus one registration.
/// </summary>
public sealed record ThrowawayDecayingLangevin(double StepSize, int Steps) : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "throwaway-decaying-langevin";

    /// <summary>A valid instance.</summary>
    public const string Example = """{ "kind": "throwaway-decaying-langevin", "stepSize": 0.2, "steps": 30 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override ISampler CreateSampler() => new Sampler(StepSize, Steps);

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { StepSize = StepSize * factor };

    /// <summary>Reads <c>{ kind, stepSize, steps }</c>.</summary>
    public static ThrowawayDecayingLangevin Read(ObjectReader r) =>
        new(r.Number("stepSize", 0, 10, minExclusive: true), (int)r.Integer("steps", 1, Limits.MaxSteps));

    sealed class Sampler(double eta, int steps) : ISampler
    {
        public int Steps => steps;

        public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
        {
            var s = new double[particles.Data.Length];
            var z = new double[particles.Data.Length];
            record?.Invoke(0, particles);
            for (int t = 1; t <= steps; t++)
            {
                double step = eta / t;
                score.Score(particles.Data, score.Sigma, s);
                noise.Fill(z, firstParticle, particles.Dimension, t);
                for (int i = 0; i < s.Length; i++) particles.Data[i] += step / 2 * s[i] + Math.Sqrt(step) * z[i];
                record?.Invoke(t, particles);
            }
        }

        public LangevinMove? MoveAt(int step, double scoreSigma) => new(eta / step, scoreSigma);
    }
}
