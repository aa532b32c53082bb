using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Training.Tests;

public class LearnedScoreTests
{
    [Fact]
    public void Langevin_with_the_learned_score_gives_the_same_bytes_in_one_batch_and_in_chunks_of_37()
    {
        TorchRuntime.Initialise(threads: 1);
        var rng = new RandomStream(11);
        using var net = new ScoreNet(2, 64, 3, rng.Child("init"));
        var score = new LearnedScore(net, sigma: 1.0);
        var start = new double[2 * 500];
        var startRng = rng.Child("start");
        for (int i = 0; i < start.Length; i++) start[i] = 3 * startRng.NextGaussian();
        var sampler = new UnadjustedLangevin(0.01, 20);
        var noise = new CounterNoise(rng.Child("noise"));

        var whole = new Points((double[])start.Clone(), 2);
        sampler.Run(score, whole, 0, noise, null);

        var chunked = new double[start.Length];
        for (int first = 0; first < 500; first += 37)
        {
            int count = Math.Min(37, 500 - first);
            var chunk = new Points(start.AsSpan(first * 2, count * 2).ToArray(), 2);
            sampler.Run(score, chunk, first, noise, null);
            chunk.Data.CopyTo(chunked, first * 2);
        }

        Assert.Equal(whole.Data, chunked);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.7)]
    [InlineData(6.0)]
    public void The_divergence_by_autograd_is_the_trace_of_the_networks_Jacobian(double sigma)
    {
        // Independent route: the trace of central differences of the network's own score, each coordinate in turn
        // (δ = 1e-2·σ: truncation O(δ²) and float32 rounding O(1e-7·|s|/δ) both far below the tolerance).
        TorchRuntime.Initialise(threads: 1);
        var model = new MlpDefinition(32, 2) { Conditioning = new NoiseEmbeddingConditioning(1.7, 4, 1) };
        using var net = NetworkCatalog.Build(model, 3, new RandomStream(21));
        var score = new LearnedScore(net, sigma: 1.0);
        var rng = new RandomStream(22);
        var x = new double[3 * 40];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextGaussian();

        var divergence = new double[40];
        score.Divergence(x, sigma, divergence);

        double delta = 1e-2 * sigma;
        var plus = new double[x.Length];
        var minus = new double[x.Length];
        var trace = new double[40];
        for (int j = 0; j < 3; j++)
        {
            x.CopyTo(plus, 0);
            x.CopyTo(minus, 0);
            for (int p = 0; p < 40; p++)
            {
                plus[p * 3 + j] += delta;
                minus[p * 3 + j] -= delta;
            }
            var sPlus = new double[x.Length];
            var sMinus = new double[x.Length];
            score.Score(plus, sigma, sPlus);
            score.Score(minus, sigma, sMinus);
            for (int p = 0; p < 40; p++) trace[p] += (sPlus[p * 3 + j] - sMinus[p * 3 + j]) / (2 * delta);
        }
        for (int p = 0; p < 40; p++)
            Assert.True(Math.Abs(divergence[p] - trace[p]) <= 2e-3 * (1 + Math.Abs(trace[p])), $"σ = {sigma}, point {p}: autograd {divergence[p]}, finite differences {trace[p]}");
        // The gradients went to x only: the parameters' .grad stays empty (a training step after it is unaffected).
        Assert.All(net.parameters(), parameter => Assert.True(parameter.grad is null, "a parameter received a gradient"));
    }
}
