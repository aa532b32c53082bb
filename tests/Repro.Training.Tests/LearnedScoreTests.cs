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
}
