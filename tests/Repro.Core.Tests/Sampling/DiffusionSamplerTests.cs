using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.OdeSolvers;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// The schedule samplers with the exact score (no network): the probability-flow ODE's convergence
/// order, and on a Gaussian p₀ (where every score is linear) each sampler's exact discrete-time law
/// after N steps.
/// </summary>
public sealed class DiffusionSamplerTests
{
    public static TheoryData<string> Schedules() => new(
        "ve(sigmaMin=0.01,sigmaMax=20)", "vp(betaMin=0.1,betaMax=20)", "edm(sigmaMin=0.01,sigmaMax=20)");

    internal static readonly Mixture TwoBlobs = new([0.3, 0.7],
        [new GaussianComponent([-2.0, 0.5], [0.5, 0.2, 0.2, 0.8]), new GaussianComponent([2.0, -1.0], [1, 0, 0, 0.3])]);

    static Points Prior(Schedule schedule, int n, int d, ulong seed)
    {
        var rng = new RandomStream(seed);
        var x = Points.Zeros(n, d);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = schedule.PriorStd * rng.NextGaussian();
        return x;
    }

    /// <summary>Least-squares slope of log error against log N.</summary>
    static double Slope(int[] n, double[] error)
    {
        double[] lx = n.Select(v => Math.Log(v)).ToArray(), ly = error.Select(e => Math.Log(e)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        return lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my)) / lx.Sum(v => (v - mx) * (v - mx));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Probability_flow_error_falls_at_order_one_for_Euler_and_two_for_Heun(string text)
    {
        var schedule = Schedule.Parse(text, "test");
        var exact = new ExactScore(TwoBlobs, 0);
        var start = Prior(schedule, 12, 2, 3);

        // Reference: MathNet's classical Runge–Kutta (an independent solver) on the same grid, each
        // interval split in 64, so its own error is far below the coarsest step studied here.
        double[] grid = schedule.TimeGrid(64);
        var reference = new double[start.Data.Length];
        var scheduled = new ScheduledScore(exact, schedule);
        for (int p = 0; p < start.Count; p++)
        {
            var y = Vector<double>.Build.DenseOfArray(start.Row(p).ToArray());
            for (int i = 0; i < 64; i++)
            {
                var path = RungeKutta.FourthOrder(y, grid[i], grid[i + 1], 65, (t, v) =>
                {
                    var drift = new double[2];
                    ProbabilityFlowOde.Drift(scheduled, v.ToArray(), t, drift);
                    return Vector<double>.Build.DenseOfArray(drift);
                });
                y = path[^1];
            }
            y.ToArray().CopyTo(reference, p * 2);
        }

        int[] steps = [32, 64, 128];
        foreach (var method in new[] { OdeMethod.Euler, OdeMethod.Heun })
        {
            var errors = steps.Select(n =>
            {
                var x = start.Clone();
                new ProbabilityFlowOde(schedule, n, method, Denoise: false).Run(exact, x, 0, default, null);
                double a = schedule.Scale(schedule.TimeMin);
                return Math.Sqrt(x.Data.Select((v, k) => (v * a - reference[k]) * (v * a - reference[k])).Average());
            }).ToArray();
            double slope = Slope(steps, errors);
            double expected = method == OdeMethod.Euler ? -1 : -2;
            Assert.True(Math.Abs(slope - expected) <= 0.3,
                $"{text} {method}: fitted order {-slope:F2} (errors {string.Join(", ", errors.Select(e => e.ToString("E2")))})");
        }
    }

    /// <summary>Runs <paramref name="sampler"/> with the exact score of <see cref="TwoBlobs"/> (at <paramref name="sigma"/>) on <paramref name="start"/> in chunks of <paramref name="chunk"/> particles (each chunk given its first particle index), for batch-invariance tests.</summary>
    internal static Points RunChunked(ISampler sampler, Points start, int chunk, CounterNoise noise, double sigma = 0)
    {
        var result = start.Clone();
        for (int first = 0; first < start.Count; first += chunk)
        {
            int count = Math.Min(chunk, start.Count - first);
            var part = start.Slice(first, count);
            sampler.Run(new ExactScore(TwoBlobs, sigma), part, first, noise, null);
            part.Data.CopyTo(result.Data, first * start.Dimension);
        }
        return result;
    }

    [Fact]
    public void Reverse_SDE_and_probability_flow_do_not_depend_on_batching()
    {
        var schedule = Schedule.Parse("ve(sigmaMin=0.01,sigmaMax=20)", "test");
        var start = Prior(schedule, 300, 2, 21);
        var noise = new CounterNoise(new RandomStream(22));
        ISampler[] invariant =
        [
            new ReverseSde(schedule, 20, Denoise: true),
            new ProbabilityFlowOde(schedule, 20, OdeMethod.Heun, Denoise: false),
        ];

        foreach (var sampler in invariant)
        {
            var whole = RunChunked(sampler, start, 300, noise);
            Assert.Equal(whole.Data, RunChunked(sampler, start, 37, noise).Data);
            Assert.NotEqual(start.Data, whole.Data);
        }
    }
}
