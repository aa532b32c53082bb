using BenchmarkDotNet.Attributes;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Benchmarks;

/// <summary>
/// Unadjusted Langevin steps with the learned score over 5000 particles in 2D (the seed's
/// forward–backward size): the harness (float64 particles, counter-based noise per particle,
/// float32 only inside the network) against a minimal TorchSharp loop that keeps everything in
/// one float32 tensor with torch's own generator (the baseline). The harness's parts, each per step and
/// against the same baseline, say where a gap comes from: the network's forward pass alone (what the raw
/// loop mostly is), the learned score source (the forward pass with the float64 ↔ float32 copies), and the
/// counter-based noise of one step (drawn on the .NET thread pool while the score is evaluated).
/// </summary>
public class LangevinBenchmarks
{
    const int Particles = 5000, Steps = 50;
    ScoreNet _net = null!;
    double[] _start = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialise(Threads);
        var rng = new RandomStream(1);
        _net = new ScoreNet(2, 64, 3, rng.Child("init"));
        _start = new double[Particles * 2];
        var s = rng.Child("start");
        for (int i = 0; i < _start.Length; i++) _start[i] = 3 * s.NextGaussian();
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float RawTorchSharpLoop()
    {
        using var gen = new TorchSharp.torch.Generator(7);
        using var noGrad = no_grad();
        var x = tensor(Array.ConvertAll(_start, v => (float)v), [Particles, 2]);
        const float eta = 0.01f;
        for (int t = 0; t < Steps; t++)
        {
            using var scope = NewDisposeScope();
            var next = x + (eta / 2) * _net.forward(x) + MathF.Sqrt(eta) * randn([Particles, 2], generator: gen);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        float first = x[0, 0].item<float>();
        x.Dispose();
        return first;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public float ForwardOnly()
    {
        using var noGrad = no_grad();
        using var x = tensor(Array.ConvertAll(_start, v => (float)v), [Particles, 2]);
        float last = 0;
        for (int t = 0; t < Steps; t++)
        {
            using var scope = NewDisposeScope();
            last = _net.forward(x)[0, 0].item<float>();
        }
        return last;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double LearnedScoreOnly()
    {
        var score = new LearnedScore(_net, 1.0);
        var s = new double[_start.Length];
        for (int t = 0; t < Steps; t++) score.Score(_start, 1.0, s);
        return s[0];
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double CounterNoiseOnly()
    {
        var noise = new CounterNoise(new RandomStream(7));
        var z = new double[_start.Length];
        for (int t = 1; t <= Steps; t++) noise.Fill(z, 0, 2, t);
        return z[0];
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Harness()
    {
        var x = new Points((double[])_start.Clone(), 2);
        new UnadjustedLangevin(0.01, Steps).Run(new LearnedScore(_net, 1.0), x, 0, new CounterNoise(new RandomStream(7)), null);
        return x.Data[0];
    }
}
