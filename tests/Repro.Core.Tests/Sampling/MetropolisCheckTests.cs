using System.Text.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

public class MetropolisCheckTests
{
    public static TheoryData<double, double, double> Cases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "sampling", "mala-rejection.json")));
        var data = new TheoryData<double, double, double>();
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("variance").GetDouble(), c.GetProperty("stepSize").GetDouble(), c.GetProperty("rejection").GetDouble());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mean_rejection_at_stationarity_matches_SciPy_quadrature(double variance, double eta, double expected)
    {
        // Particles start exactly at ULA's own stationary law N(0, s²/(1 − η/(4s²))), so every move
        // has the distribution the quadrature integrates over. Ten independent batches give the
        // Monte Carlo error the tolerance is made of.
        const int batches = 10, perBatch = 4000, steps = 40;
        var target = new Mixture([1.0], [new GaussianComponent([0.0], [variance])]);
        var sampler = new UnadjustedLangevin(eta, steps);
        double stationarySd = Math.Sqrt(variance / (1 - eta / (4 * variance)));
        var rng = new RandomStream(17);
        var noise = new CounterNoise(rng.Child("noise"));
        var means = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            var start = rng.Child("start").Child(b.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var x = new Points(new double[perBatch], 1);
            for (int i = 0; i < perBatch; i++) x.Data[i] = stationarySd * start.NextGaussian();
            var check = new MetropolisCheck(target, sampler, 0, perBatch);
            sampler.Run(new ExactScore(target, 0), x, (long)b * perBatch, noise, check.Observer(0));
            means[b] = check.MeanRejection;
        }

        double mean = means.Average();
        double standardError = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (batches - 1) / batches);
        Assert.True(standardError < 0.01 * expected, $"Monte Carlo error {standardError:G3} too large to test {expected:G3}");
        Assert.InRange(mean, expected - 6 * standardError, expected + 6 * standardError);
    }

    [Fact]
    public void Ten_times_the_step_is_rejected_about_thirty_times_as_often()
    {
        // The η^{3/2} law the gates rely on, read off the SciPy fixtures: 10^{3/2} ≈ 31.6.
        var cases = Cases().Select(row => ((double)row[0], (double)row[1], (double)row[2])).ToList();
        double small = cases.Single(c => c.Item1 == 1.0 && c.Item2 == 0.01).Item3;
        double large = cases.Single(c => c.Item1 == 1.0 && c.Item2 == 0.1).Item3;
        Assert.InRange(large / small, 25, 40);
    }

    [Fact]
    public void Does_not_depend_on_chunking()
    {
        var target = new Mixture([0.5, 0.5], [new GaussianComponent([-2.0, 0], [1, 0, 0, 1]),
            new NoisySegmentComponent(0, 4, 0.5, 1, 0.2)]);
        var start = new double[2 * 300];
        var rng = new RandomStream(3);
        for (int i = 0; i < start.Length; i++) start[i] = 2 * rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));
        var sampler = new AnnealedLangevin(5, 0.5, 4, 10, 0.05);

        var whole = new MetropolisCheck(target, sampler, 0.5, 300);
        sampler.Run(new ExactScore(target, 0.5), new Points((double[])start.Clone(), 2), 0, noise, whole.Observer(0));
        var chunked = new MetropolisCheck(target, sampler, 0.5, 300);
        for (int first = 0; first < 300; first += 37)
        {
            int count = Math.Min(37, 300 - first);
            var chunk = new Points(start.AsSpan(first * 2, count * 2).ToArray(), 2);
            sampler.Run(new ExactScore(target, 0.5), chunk, first, noise, chunked.Observer(first));
        }

        Assert.True(whole.MeanRejection > 0);
        Assert.Equal(BitConverter.DoubleToInt64Bits(whole.MeanRejection), BitConverter.DoubleToInt64Bits(chunked.MeanRejection));
    }

    [Fact]
    public void Annealed_moves_follow_the_levels_and_Tweedie_makes_none()
    {
        var annealed = new AnnealedLangevin(8, 1, 4, 3, 0.1);
        Assert.Equal(new LangevinMove(0.1 * 64, 8), annealed.MoveAt(1, 99));
        Assert.Equal(new LangevinMove(0.1 * 64, 8), annealed.MoveAt(3, 99));
        Assert.Equal(new LangevinMove(0.1 * 16, 4), annealed.MoveAt(4, 99));
        Assert.Equal(new LangevinMove(0.1, 1), annealed.MoveAt(12, 99));
        Assert.Null(annealed.MoveAt(13, 99));
        Assert.Equal(new LangevinMove(0.01, 1.25), new UnadjustedLangevin(0.01, 5).MoveAt(5, 1.25));

        var target = new Mixture([1.0], [new GaussianComponent([0.0], [1.0])]);
        var tweedie = new TweedieDenoiser();
        var check = new MetropolisCheck(target, tweedie, 1, 10);
        tweedie.Run(new ExactScore(target, 1), new Points(new double[10], 1), 0, new CounterNoise(new RandomStream(1)), check.Observer(0));
        Assert.True(double.IsNaN(check.MeanRejection));
    }

    [Fact]
    public void Refuses_an_observer_that_missed_a_step()
    {
        var target = new Mixture([1.0], [new GaussianComponent([0.0], [1.0])]);
        var check = new MetropolisCheck(target, new UnadjustedLangevin(0.1, 5), 0, 2);
        var observe = check.Observer(0);
        observe(0, new Points(new double[2], 1));
        Assert.Throws<InvalidOperationException>(() => observe(2, new Points(new double[2], 1)));
    }
}
