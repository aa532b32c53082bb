using BenchmarkDotNet.Attributes;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Schedules;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Benchmarks;

/// <summary>
/// Noise-conditional training steps of dsm-2d-two-blobs-diffusion's configuration, one thread: the harness's
/// <see cref="DsmTrainer"/> with <see cref="ScheduleDsmLoss"/> (VE levels σ = 0.01·2000^u, λ = σ²) against a minimal
/// hand-written TorchSharp loop doing the same arithmetic on the same <see cref="PreconditionedScoreNet"/>(2, 64, 3),
/// batch 256, Adam, ReduceLROnPlateau: indices, levels and noise drawn by torch, x̃ = x₀ + σε and the loss
/// mean((σ·s_θ(x̃, σ) + ε)²), which is λ(s + ε/σ)² with λ = σ². Per step; the ratio is what counts (the goal:
/// the harness within 0.9× of the raw loop's speed).
/// </summary>
[MemoryDiagnoser]
public class ScheduleTrainingBenchmarks
{
    const int Steps = 300;
    static readonly NoiseEmbeddingConditioning Conditioning = new(SigmaData: 3, Frequencies: 8, Scale: 1);
    Points _data = null!;
    TrainingDefinition _training = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialise(threads: 1);
        var rng = new RandomStream(1).Child("bench-data");
        var x = new double[5000 * 2];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextGaussian() * 3;
        _data = new Points(x, 2);
        var objective = new ScheduleDsmObjective(new VeSchedule(0.01, 20), ScheduleDsmObjective.UniformTime, -1.2, 1.2, ScheduleDsmObjective.SigmaSquared, 0);
        _training = new TrainingDefinition(objective, 2e-3, 256, Steps, new SchedulerDefinition(0.5, 300, 1));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float RawTorchSharpLoop()
    {
        var rng = new RandomStream(2);
        using var net = new PreconditionedScoreNet(2, 64, 3, Conditioning, rng.Child("init"));
        using var data = tensor(Array.ConvertAll(_data.Data, v => (float)v), [5000, 2]);
        using var gen = new TorchSharp.torch.Generator(3);
        using var opt = optim.Adam(net.parameters(), lr: 2e-3);
        var sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode: "min", factor: 0.5, patience: 300);
        float last = 0;
        float logRatio = MathF.Log(20f / 0.01f);
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var idx = randint(0, 5000, [256], generator: gen);
            var x0 = data.index_select(0, idx);
            var sigma = rand([256], generator: gen).mul(logRatio).exp().mul(0.01f);
            var eps = randn([256, 2], generator: gen);
            var s = sigma.unsqueeze(1);
            var loss = net.forward(x0 + s * eps, sigma).mul(s).add(eps).square().mean();
            opt.zero_grad();
            loss.backward();
            opt.step();
            last = loss.item<float>();
            sched.step(last);
        }
        return last;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Harness()
    {
        var rng = new RandomStream(2);
        using var net = new PreconditionedScoreNet(2, 64, 3, Conditioning, rng.Child("init"));
        return DsmTrainer.Train(net, _data, _training, Steps, rng.Child("train")).FinalLoss;
    }
}
