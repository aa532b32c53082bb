using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

/// <summary>
/// The DSM loss floor on the zero-centre-of-mass subspace: the noise is projected, so the floor counts
/// f = (K − 1)·3 degrees of freedom, (f/σ² − J)/d. On the centred Gaussian cloud N(0, vP), p_σ = N(0, (v + σ²)P)
/// and J = E‖P x̃‖²/(v + σ²)² = f/(v + σ²) in closed form.
/// </summary>
public sealed class ProjectedLossFloorTests
{
    const int K = 4;
    const double Variance = 1.5, Sigma = 0.7;
    static readonly Mixture Cloud = new([1.0], [new CentredGaussianCloudComponent(K, Variance)]);

    /// <summary>(f/σ² − f/(v + σ²))/d with f = 3(K − 1), d = 3K.</summary>
    static double ClosedForm()
    {
        double f = 3 * (K - 1), d = 3 * K;
        return (f / (Sigma * Sigma) - f / (Variance + Sigma * Sigma)) / d;
    }

    [Fact]
    public void The_degrees_of_freedom_are_d_on_all_of_R_d_and_3_K_minus_1_on_the_subspace()
    {
        Assert.Equal(3 * (K - 1), LossFloor.DegreesOfFreedom(Cloud));
        Assert.Equal(3, LossFloor.DegreesOfFreedom(MixtureTests.GaussianMixture(3)));
    }

    [Fact]
    public void The_floor_and_the_exact_scores_DSM_loss_with_projected_noise_equal_the_closed_form()
    {
        var rng = new RandomStream(20261130);
        var floor = LossFloor.Estimate(Cloud, Sigma, 50_000, rng.Child("floor"));
        var mc = LossFloor.MonteCarloDsmLoss(Cloud, Sigma, 50_000, rng.Child("mc"));
        double exact = ClosedForm();

        Assert.True(Math.Abs(floor.Floor - exact) < 4 * floor.StandardError, $"floor {floor}, closed form {exact}");
        Assert.True(Math.Abs(mc.Floor - exact) < 4 * mc.StandardError, $"Monte Carlo DSM loss {mc}, closed form {exact}");
        // With full-space noise the floor would be (d/σ² − J)/d: 3/σ²/d ≈ 0.51 higher, hundreds of standard errors.
        Assert.True((3.0 / (Sigma * Sigma) / (3 * K)) > 100 * mc.StandardError);
    }
}
