using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// The predictor–corrector sampler with the exact score: its order of evaluations, its batch
/// invariance, and the law its per-sample corrector leaves invariant (p‖s‖², not p) against
/// score_sde's batch-averaged step (p, but batch-dependent).
/// </summary>
public sealed class PredictorCorrectorTests
{
    [Fact]
    public void The_per_sample_step_does_not_depend_on_batching_and_the_batch_averaged_one_does()
    {
        var schedule = Schedule.Parse("ve(sigmaMin=0.01,sigmaMax=20)", "test");
        var rng = new RandomStream(21);
        var start = Points.Zeros(300, 2);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] = 20 * rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));

        var perSample = new PredictorCorrector(schedule, 20, 2, 0.16, Denoise: false);
        Assert.Equal(DiffusionSamplerTests.RunChunked(perSample, start, 300, noise).Data, DiffusionSamplerTests.RunChunked(perSample, start, 37, noise).Data);
        var averaged = perSample with { Rule = CorrectorStepRule.BatchAveraged };
        Assert.NotEqual(DiffusionSamplerTests.RunChunked(averaged, start, 300, noise).Data, DiffusionSamplerTests.RunChunked(averaged, start, 37, noise).Data);
    }

    [Fact]
    public void Each_grid_time_runs_its_correctors_then_the_predictor_and_the_denoiser_comes_last()
    {
        var schedule = Schedule.Parse("vp(betaMin=0.1,betaMax=20)", "test");
        var x = new Points([0.1, 0.2, -0.3, 0.4], 2);
        var sampler = new PredictorCorrector(schedule, 5, 3, 0.16, Denoise: true);
        var steps = new List<int>();

        sampler.Run(new ExactScore(DiffusionSamplerTests.TwoBlobs, 0), x, 0, new CounterNoise(1), (step, _) => steps.Add(step));

        Assert.Equal(5 * (3 + 1) + 1, sampler.Steps);
        Assert.Equal(Enumerable.Range(0, sampler.Steps + 1), steps);
    }

    [Theory]
    [InlineData(CorrectorStepRule.PerSample, 1.25)]
    [InlineData(CorrectorStepRule.BatchAveraged, 1.0)]
    public void The_per_sample_corrector_keeps_p_times_the_squared_score_and_the_batch_averaged_one_keeps_p(CorrectorStepRule rule, double expected)
    {
        // p = N(0, v I_8), v = 1 + σ_min² ≈ 1. Per-sample: π ∝ p‖s‖² = p‖x‖²/v², so E‖x‖²/(d v) = (d + 2)/d = 1.25.
        // Batch-averaged: a constant step ε ≈ 2r²v, whose Langevin bias is v/(1 − ε/(2v)) ≈ 1 + r² = 1.01.
        const int d = 8, n = 4000, moves = 600;
        var p = new Mixture([1.0], [new GaussianComponent(new double[d], Enumerable.Range(0, d * d).Select(k => k % (d + 1) == 0 ? 1.0 : 0.0).ToArray())]);
        var schedule = Schedule.Parse("ve(sigmaMin=0.0001,sigmaMax=20)", "test");
        var score = new ScheduledScore(new ExactScore(p, 0), schedule);
        var rng = new RandomStream(51);
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));
        double[] s = new double[x.Length], z = new double[x.Length], steps = new double[n];

        for (int m = 1; m <= moves; m++)
            PredictorCorrector.CorrectorMove(score, x, d, 0, 1, 0.1, rule, noise, 0, m, s, z, steps);

        double ratio = x.Sum(v => v * v) / (n * d);
        // sd of the ratio: per particle ‖x‖² has variance 2(d + 2) under π, so ≈ √(20/4000)/8 ≈ 0.009.
        Assert.True(Math.Abs(ratio - expected) < 0.05, $"{rule}: E‖x‖²/d = {ratio:R}, closed form {expected}");
    }
}
