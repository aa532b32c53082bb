using Repro.Core.Definitions;
using Repro.Core.Random;
using Repro.Core.Schedules;
using Repro.Core.Targets;
using static TorchSharp.torch;

namespace Repro.Training.Tests;

/// <summary>
/// DSM over a schedule: the loss against the same sum written out by hand on the same noise, and the
/// exact score's mean loss against the objective's floor (so "excess over floor" is zero for a perfect score).
/// </summary>
public sealed class ScheduleDsmLossTests
{
    static readonly NoiseEmbeddingConditioning Conditioning = new(1, 4, 1);

    [Theory]
    [InlineData(ScheduleDsmObjective.SigmaSquared)]
    [InlineData(ScheduleDsmObjective.Edm)]
    public void The_loss_is_the_weighted_residual_mean_written_out_on_the_same_noise(string weighting)
    {
        TorchRuntime.Initialise(threads: 1);
        using var net = new PreconditionedScoreNet(2, 8, 2, Conditioning, new RandomStream(3));
        var objective = new ScheduleDsmObjective(new VeSchedule(0.01, 20), ScheduleDsmObjective.UniformTime, 0, 1, weighting, 0.8);
        float[] clean = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f];
        var loss = new ScheduleDsmLoss(objective).Loss(net, tensor(clean, [3, 2]), new RandomStream(9)).item<float>();

        // Replay: three uniforms (one level per row), then six Gaussians row-major.
        var noise = new RandomStream(9);
        double[] sigma = Enumerable.Range(0, 3).Select(_ => 0.01 * Math.Pow(2000, noise.NextDouble())).ToArray();
        double[] eps = Enumerable.Range(0, 6).Select(_ => noise.NextGaussian()).ToArray();
        var x = new float[6];
        for (int i = 0; i < 6; i++) x[i] = clean[i] + (float)sigma[i / 2] * (float)eps[i];
        var s = net.forward(tensor(x, [3, 2]), tensor(Array.ConvertAll(sigma, v => (float)v))).data<float>().ToArray();
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double sg = sigma[i / 2];
            double lambda = weighting == ScheduleDsmObjective.Edm ? sg * sg * (sg * sg + 0.64) / 0.64 : sg * sg;
            expected += lambda * Math.Pow(s[i] + eps[i] / sg, 2) / 6;
        }
        Assert.Equal(expected, loss, expected * 2e-5);
    }

    /// <summary>∇log p_σ of N(0, s²I): −x/(s² + σ²) at each row's σ.</summary>
    sealed class ExactGaussianScore(double variance) : ScoreNetwork("exact-gaussian")
    {
        public override int Dimension => 2;

        public override bool IsNoiseConditional => true;

        public override Tensor forward(Tensor x, Tensor sigma) => x.neg().div(sigma.square().add(variance).unsqueeze(1));
    }

    [Fact]
    public void The_exact_score_s_mean_loss_is_the_floor()
    {
        TorchRuntime.Initialise(threads: 1);
        using var exact = new ExactGaussianScore(2.25);
        var objective = new ScheduleDsmObjective(new VpSchedule(0.1, 20, 1e-3), ScheduleDsmObjective.UniformTime, 0, 1, ScheduleDsmObjective.SigmaSquared, 0);
        var target = new Mixture([1.0], [new GaussianComponent([0.0, 0.0], [2.25, 0, 0, 2.25])]);
        var data = target.Sample(4000, new RandomStream(1));
        var loss = new ScheduleDsmLoss(objective);
        var noise = new RandomStream(2);
        var values = new double[100];
        using (no_grad())
            for (int b = 0; b < values.Length; b++)
            {
                using var scope = NewDisposeScope();
                var x0 = tensor(Array.ConvertAll(data.Data.AsSpan(b % 10 * 800, 800).ToArray(), v => (float)v), [400, 2]);
                values[b] = loss.Loss(exact, x0, noise).item<float>();
            }
        double mean = values.Average(), se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) / values.Length);
        var floor = objective.Floor(target, 200_000, new RandomStream(3));

        Assert.InRange(mean - floor.Floor, -4 * Math.Sqrt(se * se + floor.StandardError * floor.StandardError), 4 * Math.Sqrt(se * se + floor.StandardError * floor.StandardError));
    }
}
