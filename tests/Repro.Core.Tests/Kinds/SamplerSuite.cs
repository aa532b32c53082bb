using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;
using Repro.Core.Tests.Sampling;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// What every sampler must satisfy, run on every registered kind's examples with the exact score of
/// a two-blob target: its particles do not depend on how they are chunked (particle i's noise is
/// <c>noise.Gaussian(i, t, k)</c> whatever the batch), the same seed gives the same particles, it moves
/// them, it stays finite, and it reports as many steps to the observer as it declares.
/// </summary>
public static class SamplerSuite
{
    /// <summary>Runs every check on <paramref name="definition"/>.</summary>
    public static void Check(SamplerDefinition definition, string label)
    {
        var sampler = definition.CreateSampler();
        var rng = new RandomStream(77).Child(label);
        var start = Points.Zeros(120, 2);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] = 3 * rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));

        var whole = DiffusionSamplerTests.RunChunked(sampler, start, 120, noise, 0.5);
        Assert.Equal(whole.Data, DiffusionSamplerTests.RunChunked(sampler, start, 17, noise, 0.5).Data);
        Assert.Equal(whole.Data, DiffusionSamplerTests.RunChunked(definition.CreateSampler(), start, 120, noise, 0.5).Data);
        Assert.NotEqual(start.Data, whole.Data);
        Assert.All(whole.Data, v => Assert.True(double.IsFinite(v), $"{label}: a particle is not finite"));

        int observed = -1;
        var copy = start.Clone();
        sampler.Run(new ExactScore(DiffusionSamplerTests.TwoBlobs, 0.5), copy, 0, noise, (step, _) => observed = Math.Max(observed, step));
        Assert.Equal(sampler.Steps, observed);
        Assert.True(definition.TargetSigma(0.5) >= 0, $"{label}: TargetSigma must be a noise level ≥ 0");
    }
}
