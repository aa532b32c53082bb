using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// A target on the zero-centre-of-mass subspace (Hoogeboom et al. 2022, §3.2) keeps samplers there:
/// the mixture projects its smoothing noise, and a sampler handed <see cref="CounterNoise.Projection"/>
/// projects its own.
/// </summary>
public sealed class NoiseProjectionTests
{
    const int K = 4;
    static readonly Mixture Cloud = new([1.0], [new CentredGaussianCloudComponent(K, 1.0)]);

    static double MaxCentreOfMass(Points x)
    {
        double worst = 0;
        for (int i = 0; i < x.Count; i++)
            for (int axis = 0; axis < 3; axis++)
            {
                double sum = 0;
                for (int p = 0; p < K; p++) sum += x.Data[i * x.Dimension + 3 * p + axis];
                worst = Math.Max(worst, Math.Abs(sum / K));
            }
        return worst;
    }

    [Fact]
    public void A_cloud_mixture_constrains_noise_and_a_gaussian_one_does_not()
    {
        Assert.True(Cloud.ConstrainsNoise);
        Assert.False(DiffusionSamplerTests.TwoBlobs.ConstrainsNoise);
    }

    [Fact]
    public void Smoothed_draws_of_a_cloud_stay_centred_and_have_the_exact_covariance()
    {
        var x = Cloud.Sample(20_000, Smoothing.Gaussian(0.7), new RandomStream(5));

        Assert.True(MaxCentreOfMass(x) < 1e-12, $"centre of mass {MaxCentreOfMass(x):E2}");
        Targets.TargetAssert.MomentsMatchSample(Cloud.Mean(Smoothing.Gaussian(0.7)), Cloud.Covariance(Smoothing.Gaussian(0.7)), x);
    }

    [Fact]
    public void Langevin_with_projected_noise_stays_on_the_subspace_and_without_it_drifts_off()
    {
        var start = Cloud.Sample(2000, new RandomStream(6));
        var sampler = new UnadjustedLangevin(0.05, 400);
        var score = new ExactScore(Cloud, 0.3);
        var key = new RandomStream(7);

        var projected = start.Clone();
        sampler.Run(score, projected, 0, new CounterNoise(key) { Projection = Cloud.ConstrainNoise }, null);
        var free = start.Clone();
        sampler.Run(score, free, 0, new CounterNoise(key), null);

        Assert.True(MaxCentreOfMass(projected) < 1e-10, $"projected: centre of mass {MaxCentreOfMass(projected):E2}");
        // The score has no centre-of-mass component, so unprojected noise random-walks the centre:
        // after 400 steps of √η z its spread is √(400·0.05/K) ≈ 2.2 per axis.
        Assert.True(MaxCentreOfMass(free) > 1, $"unprojected: centre of mass only {MaxCentreOfMass(free):E2}");
        // On the subspace the chain samples p_σ: per-coordinate variance (1 − 1/K)(1 + σ²) up to the step's bias.
        double variance = projected.Data.Select(v => v * v).Average();
        double exact = (1 - 1.0 / K) * (1 + 0.3 * 0.3);
        Assert.True(Math.Abs(variance / exact - 1) < 0.05, $"variance {variance:F4}, exact {exact:F4}");
    }

    [Fact]
    public void Components_of_different_state_spaces_cannot_be_mixed()
    {
        var gaussian = new GaussianComponent(new double[3 * K], Enumerable.Range(0, 9 * K * K).Select(i => i % (3 * K + 1) == 0 ? 1.0 : 0.0).ToArray());

        var e = Assert.Throws<ArgumentException>(() => new Mixture([0.5, 0.5], [new CentredGaussianCloudComponent(K, 1.0), gaussian]));
        Assert.Contains("state space", e.Message);
    }
}
