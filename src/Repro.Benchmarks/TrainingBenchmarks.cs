using BenchmarkDotNet.Attributes;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Benchmarks;

/// <summary>
/// DSM training steps of the seed's configuration (ScoreNet(2, 64, 3), batch 256, Adam,
/// ReduceLROnPlateau), one thread: the harness's <see cref="DsmTrainer"/> and the ensemble trainer
/// (<see cref="EnsembleDsmTrainer"/>, E = 1, 3, 8 networks of different seeds in one graph) against a minimal
/// hand-written TorchSharp loop of one network (the baseline; the ratio is what counts). Every figure is per
/// network-step: an ensemble invocation counts E × steps operations, so its ratio is the time of one
/// network's step in the ensemble over one step of the single network.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    const int Steps = 500;
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
        _training = new TrainingDefinition(new DsmObjective(1.25), 5e-4, 256, Steps, new SchedulerDefinition(0.5, 200, 1));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float RawTorchSharpLoop()
    {
        var rng = new RandomStream(2);
        using var net = new ScoreNet(2, 64, 3, rng.Child("init"));
        using var data = tensor(Array.ConvertAll(_data.Data, v => (float)v), [5000, 2]);
        using var gen = new TorchSharp.torch.Generator(3);
        using var opt = optim.Adam(net.parameters(), lr: 5e-4);
        var sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode: "min", factor: 0.5, patience: 200);
        float last = 0;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var idx = randint(0, 5000, [256], generator: gen);
            var x0 = data.index_select(0, idx);
            var eps = randn([256, 2], generator: gen);
            var loss = net.forward(x0 + 1.25f * eps).add(eps / 1.25f).square().mean();
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
        using var net = new ScoreNet(2, 64, 3, rng.Child("init"));
        return DsmTrainer.Train(net, _data, _training, Steps, rng.Child("train")).FinalLoss;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Ensemble1() => Ensemble(1);

    [Benchmark(OperationsPerInvoke = 3 * Steps)]
    public double Ensemble3() => Ensemble(3);

    [Benchmark(OperationsPerInvoke = 8 * Steps)]
    public double Ensemble8() => Ensemble(8);

    /// <summary>E networks (seeds 2, 3, …, each with its own init and train streams) on the same data.</summary>
    double Ensemble(int members)
    {
        var roots = Enumerable.Range(2, members).Select(s => new RandomStream((ulong)s)).ToArray();
        using var net = new EnsembleScoreNet(2, 64, 3, roots.Select(r => r.Child("init")).ToArray());
        var records = EnsembleDsmTrainer.Train(net, roots.Select(r => new EnsembleMember(_data, _training, r.Child("train"))).ToArray(), 256, Steps);
        return records[^1].FinalLoss;
    }
}
