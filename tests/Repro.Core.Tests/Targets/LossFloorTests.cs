using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public class LossFloorTests
{
    static readonly RandomStream Root = new RandomStream(12345).Child("loss-floor");

    static Mixture Bimodal1D() => new([0.5, 0.5], [new GaussianComponent([-2.0], [1.0]), new GaussianComponent([2.0], [1.0])]);

    static Mixture GaussianSegment2D() =>
        new([0.5, 0.5], [new GaussianComponent([-5.0, 0.0], [1, 0, 0, 1]), NoisySegmentComponentTests.Reference()]);

    public static TheoryData<string, double> Cases => new() { { "bimodal-1d", 1.25 }, { "gaussian-segment-2d", 1.2 }, { "gaussian-segment-2d", 0.3 }, { "mixture-3d", 0.8 } };

    static Mixture Target(string name) => name switch
    {
        "bimodal-1d" => Bimodal1D(),
        "gaussian-segment-2d" => GaussianSegment2D(),
        "mixture-3d" => MixtureTests.GaussianMixture(3),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_floor_agrees_with_the_Monte_Carlo_DSM_loss_of_the_exact_score(string name, double sigma)
    {
        var target = Target(name);
        var floor = LossFloor.Estimate(target, sigma, 50_000, Root.Child($"{name}-{sigma}-floor"));
        var mc = LossFloor.MonteCarloDsmLoss(target, sigma, 50_000, Root.Child($"{name}-{sigma}-mc"));
        double combined = Math.Sqrt(floor.StandardError * floor.StandardError + mc.StandardError * mc.StandardError);
        Assert.True(Math.Abs(floor.Floor - mc.Floor) < 4 * combined, $"floor {floor}, MC {mc}");
        Assert.Equal(50_000, floor.Samples);
        Assert.Equal(sigma, floor.Sigma);
    }

    [Fact]
    public void Loss_floor_of_a_single_gaussian_is_exact()
    {
        // p_σ = N(μ, (v + σ²)) in 1D: J = 1/(v + σ²), floor = 1/σ² − 1/(v + σ²).
        var target = new Mixture([1.0], [new GaussianComponent([0.3], [2.0])]);
        double sigma = 0.7;
        var floor = LossFloor.Estimate(target, sigma, 20_000, Root.Child("single"));
        double exact = 1 / (sigma * sigma) - 1 / (2.0 + sigma * sigma);
        Assert.True(Math.Abs(floor.Floor - exact) < 4 * floor.StandardError + 1e-12, $"{floor} vs {exact}");
    }

    [Fact]
    public void Loss_floor_matches_quadrature_of_the_Fisher_information()
    {
        // 1/σ² − ∫ p_σ'²/p_σ dx for 0.5 N(−2, 1) + 0.5 N(2, 1) at σ = 1.25, by mpmath quadrature (20 digits).
        const double exact = 0.43678899126458617649;
        var floor = LossFloor.Estimate(Bimodal1D(), 1.25, 50_000, Root.Child("quadrature"));
        Assert.True(Math.Abs(floor.Floor - exact) < 4 * floor.StandardError, $"{floor} vs {exact}");
    }

    [Fact]
    public void Loss_floor_is_deterministic_given_the_stream()
    {
        var a = LossFloor.Estimate(Bimodal1D(), 1.25, 5000, Root.Child("det"));
        var b = LossFloor.Estimate(Bimodal1D(), 1.25, 5000, Root.Child("det"));
        Assert.Equal(a, b);
        Assert.Throws<ArgumentOutOfRangeException>(() => LossFloor.Estimate(Bimodal1D(), 0, 100, Root));
    }
}
