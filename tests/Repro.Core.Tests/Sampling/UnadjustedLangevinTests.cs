using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

public class UnadjustedLangevinTests
{
    static Mixture Gaussian1D(double mean, double variance) =>
        new([1.0], [new GaussianComponent([mean], [variance])]);

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(2.0, 1.0)]
    [InlineData(0.5, 0.1)]
    public void Stationary_variance_matches_the_discretised_closed_form(double variance, double eta)
    {
        // For the exact score of N(μ, s²), x ← x + (η/2)·(−(x−μ)/s²) + √η z is an AR(1) process
        // x' − μ = (1 − η/(2s²))(x − μ) + √η z, whose stationary variance is η / (1 − (1 − η/(2s²))²)
        // = s² / (1 − η/(4s²)): larger than s² by the discretisation bias the sampler must show.
        const int n = 20_000, steps = 300;
        var target = Gaussian1D(3.0, variance);
        var x = new Points(new double[n], 1);
        var start = new RandomStream(5).Child("start");
        for (int i = 0; i < n; i++) x.Data[i] = 3.0 + start.NextGaussian();

        new UnadjustedLangevin(eta, steps).Run(new ExactScore(target, 0), x, 0, new CounterNoise(new RandomStream(6)), null);

        double mean = x.Data.Average();
        double sampleVariance = x.Data.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double expected = variance / (1 - eta / (4 * variance));
        double standardError = expected * Math.Sqrt(2.0 / (n - 1));
        Assert.InRange(sampleVariance, expected - 4 * standardError, expected + 4 * standardError);
        Assert.True(Math.Abs(sampleVariance - variance) > 4 * standardError || eta / (4 * variance) < 0.05,
            "the test must be able to tell the biased variance from s²");
        Assert.InRange(mean, 3.0 - 4 * Math.Sqrt(expected / n), 3.0 + 4 * Math.Sqrt(expected / n));
    }

    [Fact]
    public void Counter_noise_does_not_depend_on_chunking()
    {
        var target = new Mixture([0.5, 0.5], [new GaussianComponent([-2.0, 0], [1, 0, 0, 1]), new GaussianComponent([2.0, 0], [1, 0, 0, 1])]);
        var start = new double[2 * 300];
        var rng = new RandomStream(9);
        for (int i = 0; i < start.Length; i++) start[i] = 2 * rng.NextGaussian();
        var noise = new CounterNoise(rng.Child("noise"));
        var sampler = new AnnealedLangevin(5, 0.5, 4, 10, 0.05);

        var whole = new Points((double[])start.Clone(), 2);
        sampler.Run(new ExactScore(target, 0.5), whole, 0, noise, null);
        var chunked = new double[start.Length];
        for (int first = 0; first < 300; first += 37)
        {
            int count = Math.Min(37, 300 - first);
            var chunk = new Points(start.AsSpan(first * 2, count * 2).ToArray(), 2);
            sampler.Run(new ExactScore(target, 0.5), chunk, first, noise, null);
            chunk.Data.CopyTo(chunked, first * 2);
        }

        Assert.Equal(whole.Data, chunked);
    }

    [Fact]
    public void Counter_noise_is_standard_normal_and_uncorrelated_across_particles_and_steps()
    {
        var noise = new CounterNoise(new RandomStream(3));
        const int n = 100_000;
        double sum = 0, sumSq = 0, cross = 0;
        for (int i = 0; i < n; i++)
        {
            double a = noise.Gaussian(i, 1, 0), b = noise.Gaussian(i, 2, 0), c = noise.Gaussian(i + 1, 1, 0);
            sum += a;
            sumSq += a * a;
            cross += a * b + a * c;
        }
        Assert.InRange(sum / n, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        Assert.InRange(sumSq / n, 1 - 4 * Math.Sqrt(2.0 / n), 1 + 4 * Math.Sqrt(2.0 / n));
        Assert.InRange(cross / (2 * n), -4 / Math.Sqrt(2 * n), 4 / Math.Sqrt(2 * n));
    }
}
