using BenchmarkDotNet.Attributes;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Benchmarks;

/// <summary>
/// The evaluation's statistics at the report's sizes. Baseline: one plain MMD² statistic at the
/// same size (the unit of work a permutation repeats), so the ratio reads as "cost of the
/// calibrated test in statistic evaluations". SciPy/NumPy figures for the same calls come from
/// tests/Repro.Core.Tests/Fixtures/metrics/make_fixtures.py (timing section).
/// </summary>
public class MetricsBenchmarks
{
    Points _x = null!, _y = null!;
    double[] _a = null!, _b = null!;

    static Points Gaussian(RandomStream rng, int n, int d)
    {
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextGaussian();
        return new Points(x, d);
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomStream(1);
        _x = Gaussian(rng.Child("x"), 2000, 2);
        _y = Gaussian(rng.Child("y"), 2000, 2);
        _a = Gaussian(rng.Child("a"), 100_000, 1).Data;
        _b = Gaussian(rng.Child("b"), 100_000, 1).Data;
    }

    [Benchmark(Baseline = true)]
    public double Mmd2StatisticOnce() => Mmd.Statistic(_x, _y, 1.0).Item1;

    [Benchmark]
    public double MmdTest200Permutations() => Mmd.TestMedian(_x, _y, 200, new RandomStream(2)).PValue;

    [Benchmark]
    public double KsdTest500Bootstraps() => KernelStein.Test(_x, p => new Points(p.Data.Select(v => -v).ToArray(), 2), 500, new RandomStream(3)).PValue;

    [Benchmark]
    public double KsTwoSample100k() => KolmogorovSmirnov.TwoSample(_a, _b).PValue;
}
