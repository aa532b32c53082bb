using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// The predictor–corrector sampler with the exact score: its order of evaluations, its batch
/// invariance, and the law each corrector rule leaves invariant: the unadjusted per-sample step keeps
/// p‖s‖², not p; score_sde's batch-averaged step keeps p but is batch-dependent; the Metropolis-adjusted
/// per-sample step keeps p and is batch-invariant.
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
    [InlineData(CorrectorStepRule.MetropolisAdjusted, 1.0)]
    public void The_unadjusted_per_sample_corrector_keeps_p_times_the_squared_score_and_the_others_keep_p(CorrectorStepRule rule, double expected)
    {
        // p = N(0, v I_8), v = 1 + σ_min² ≈ 1. Per-sample: π ∝ p‖s‖² = p‖x‖²/v², so E‖x‖²/(d v) = (d + 2)/d = 1.25.
        // Batch-averaged: a constant step ε ≈ 2r²v, whose Langevin bias is v/(1 − ε/(2v)) ≈ 1 + r² = 1.01.
        // Metropolis-adjusted: MALA with the trapezoid log-density difference, exact for a Gaussian, so p itself.
        const int d = 8, n = 4000, moves = 600;
        var p = new Mixture([1.0], [new GaussianComponent(new double[d], Enumerable.Range(0, d * d).Select(k => k % (d + 1) == 0 ? 1.0 : 0.0).ToArray())]);
        var schedule = Schedule.Parse("ve(sigmaMin=0.0001,sigmaMax=20)", "test");
        var score = new ScheduledScore(new ExactScore(p, 0), schedule);
        var rng = new RandomStream(51);
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));
        var buffers = new CorrectorBuffers(x.Length, d, noise);
        score.At(x, 0, buffers.Score);

        for (int m = 1; m <= moves; m++)
            PredictorCorrector.CorrectorMove(score, x, 0, 1, 0.1, rule, noise, 0, m, buffers);

        double ratio = x.Sum(v => v * v) / (n * d);
        // sd of the ratio: per particle ‖x‖² has variance 2(d + 2) under π, so ≈ √(20/4000)/8 ≈ 0.009.
        Assert.True(Math.Abs(ratio - expected) < 0.05, $"{rule}: E‖x‖²/d = {ratio:R}, closed form {expected}");
    }

    [Theory]
    [InlineData(CorrectorStepRule.MetropolisAdjusted)]
    [InlineData(CorrectorStepRule.PerSample)]
    public void With_the_exact_score_the_adjusted_corrector_generates_the_two_blobs_and_the_unadjusted_one_inflates_them(CorrectorStepRule rule)
    {
        // dsm-2d-two-blobs-diffusion's p₀ = ½N((−5, 0), I) + ½N((3, 0), I), VE 0.01 → 20, 250 intervals, r = 0.16, the
        // Tweedie mean at the end. The unadjusted per-sample step explodes where ‖s‖ → 0 (near each blob's centre):
        // measured E[y²] = 24 where p₀ has 1. Adjusted, the across-blob axis (y) has variance 1 and each blob half the mass.
        var p0 = new Mixture([0.5, 0.5], [new GaussianComponent([-5.0, 0], [1.0, 0, 0, 1]), new GaussianComponent([3.0, 0], [1.0, 0, 0, 1])]);
        var schedule = Schedule.Parse("ve(sigmaMin=0.01,sigmaMax=20)", "test");
        const int n = 2000;
        var rng = new RandomStream(61);
        var x = Points.Zeros(n, 2);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = 20 * rng.NextGaussian();
        var sampler = new PredictorCorrector(schedule, 250, 1, 0.16, Denoise: true, rule);

        sampler.Run(new ExactScore(p0, 0), x, 0, new CounterNoise(rng.Child("noise")), null);

        double yVariance = Enumerable.Range(0, n).Average(i => x.Data[2 * i + 1] * x.Data[2 * i + 1]);
        double left = Enumerable.Range(0, n).Count(i => x.Data[2 * i] < -1) / (double)n;
        if (rule == CorrectorStepRule.PerSample)
            Assert.True(yVariance > 2, $"unadjusted: E[y²] = {yVariance:G4}");
        else
        {
            // sd of the sample variance ≈ √(2/n) = 0.032; of the weight √(0.25/n) = 0.011.
            Assert.InRange(yVariance, 0.88, 1.12);
            Assert.InRange(left, 0.45, 0.55);
        }
    }

    [Fact]
    public void The_corrector_runs_only_at_grid_times_inside_its_band_and_the_step_count_says_so()
    {
        // VE 0.01 → 20 on 30 intervals: σ(tᵢ) = 0.01·2000^{1−i/30} ≥ 0.5 when 1 − i/30 ≥ ln 50 / ln 2000 = 0.515, i.e. i ≤ 14.
        var schedule = Schedule.Parse("ve(sigmaMin=0.01,sigmaMax=20)", "test");
        double[] t = schedule.TimeGrid(30);
        int inside = Enumerable.Range(0, 30).Count(i => schedule.Sigma(t[i]) >= 0.5);
        var banded = new PredictorCorrector(schedule, 30, 2, 0.16, Denoise: false, CorrectorSigmaMin: 0.5);
        var counting = new CountingScore(new ExactScore(DiffusionSamplerTests.TwoBlobs, 0));
        var x = new Points([0.1, 0.2, -0.3, 0.4], 2);
        var steps = new List<int>();

        banded.Run(counting, x, 0, new CounterNoise(3), (step, _) => steps.Add(step));

        Assert.Equal(15, inside);
        Assert.Equal(30 + 2 * inside, banded.Steps);
        Assert.Equal(banded.Steps, counting.Calls);
        Assert.Equal(Enumerable.Range(0, banded.Steps + 1), steps);
        Assert.Equal(30 * 3, (banded with { CorrectorSigmaMin = 0 }).Steps);
    }

    /// <summary>Counts the score evaluations (calls on a block).</summary>
    sealed class CountingScore(IScoreSource inner) : IScoreSource
    {
        public int Calls { get; private set; }
        public int Dimension => inner.Dimension;
        public double Sigma => inner.Sigma;
        public bool IsNoiseConditional => inner.IsNoiseConditional;
        public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
        {
            Calls++;
            inner.Score(x, sigma, score);
        }
    }

    [Fact]
    public void The_adjusted_corrector_keeps_a_correlated_Gaussian_exactly_where_the_unadjusted_one_moves_it()
    {
        // p = N(μ, Σ) in d = 2 with correlation: the trapezoid log-density difference is exact for a quadratic log p, so
        // MALA with the position-dependent step leaves p invariant: started in p, every moment stays (Monte Carlo only).
        double[] mu = [1.0, -2.0], sigma = [2.0, 0.9, 0.9, 1.0];
        var p = new Mixture([1.0], [new GaussianComponent(mu, sigma)]);
        var schedule = Schedule.Parse("ve(sigmaMin=0.0001,sigmaMax=20)", "test");
        var score = new ScheduledScore(new ExactScore(p, 0), schedule);
        const int n = 20_000;
        var x = p.Sample(n, Smoothing.None, new RandomStream(71)).Data;
        var noise = new CounterNoise(72);
        var buffers = new CorrectorBuffers(x.Length, 2, noise);
        score.At(x, 0, buffers.Score);

        for (int m = 1; m <= 200; m++)
            PredictorCorrector.CorrectorMove(score, x, 0, 1, 0.3, CorrectorStepRule.MetropolisAdjusted, noise, 0, m, buffers);

        double[] c0 = Enumerable.Range(0, n).Select(i => x[2 * i]).ToArray(), c1 = Enumerable.Range(0, n).Select(i => x[2 * i + 1]).ToArray();
        double m0 = c0.Average(), m1 = c1.Average();
        double v00 = c0.Sum(a => (a - m0) * (a - m0)) / (n - 1), v11 = c1.Sum(a => (a - m1) * (a - m1)) / (n - 1);
        double v01 = c0.Zip(c1).Sum(q => (q.First - m0) * (q.Second - m1)) / (n - 1);
        // The chain's 200 moves are correlated with the start, so these are at most as noisy as n independent draws:
        // se(mean) = √(Σ_jj/n) ≈ 0.01, se(Σ_jj) = Σ_jj √(2/n) ≈ 0.02, se(Σ_01) ≈ √((Σ00Σ11 + Σ01²)/n) ≈ 0.011.
        Assert.InRange(m0, mu[0] - 0.05, mu[0] + 0.05);
        Assert.InRange(m1, mu[1] - 0.04, mu[1] + 0.04);
        Assert.InRange(v00, 2.0 - 0.1, 2.0 + 0.1);
        Assert.InRange(v11, 1.0 - 0.05, 1.0 + 0.05);
        Assert.InRange(v01, 0.9 - 0.06, 0.9 + 0.06);
    }
}
