using System.Text.Json;
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

    public static TheoryData<int> FixtureCases => new(Enumerable.Range(0, FloorFixture().Count));

    /// <summary>Fixtures/targets/loss_floor.json, made by make_loss_floor.py (SciPy quad/dblquad) beside it.</summary>
    static List<JsonElement> FloorFixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "targets", "loss_floor.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    static Mixture FixtureTarget(JsonElement c)
    {
        var parts = c.GetProperty("components").EnumerateArray().ToList();
        var weights = parts.Select(p => p.GetProperty("weight").GetDouble()).ToArray();
        var components = parts.Select(p => p.GetProperty("kind").GetString() switch
        {
            "gaussian" => (IComponent)new GaussianComponent(
                p.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                Diagonal(p.GetProperty("variance").EnumerateArray().Select(v => v.GetDouble()).ToArray())),
            "noisy-segment" => new NoisySegmentComponent(p.GetProperty("from").GetDouble(), p.GetProperty("to").GetDouble(),
                p.GetProperty("slope").GetDouble(), p.GetProperty("intercept").GetDouble(), p.GetProperty("noise").GetDouble()),
            var kind => throw new InvalidDataException($"loss_floor.json: unknown kind {kind}"),
        }).ToArray();
        return new Mixture(weights, components);
    }

    static double[] Diagonal(double[] v)
    {
        var c = new double[v.Length * v.Length];
        for (int i = 0; i < v.Length; i++) c[i * v.Length + i] = v[i];
        return c;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Quadrature_floor_matches_SciPy_adaptive_quadrature(int index)
    {
        var c = FloorFixture()[index];
        double sigma = c.GetProperty("sigma").GetDouble();
        // SciPy: (d/σ² − dblquad(|∇p_σ|²/p_σ))/d (quad in 1D), epsrel 1e-12; see make_loss_floor.py.
        double expected = c.GetProperty("floor").GetDouble();
        var floor = LossFloor.Quadrature(FixtureTarget(c), sigma)!;
        Assert.Equal(LossFloorMethod.Quadrature, floor.Method);
        Assert.True(Math.Abs(floor.Floor - expected) <= 1e-10 * Math.Abs(expected),
            $"{c.GetProperty("name").GetString()} σ = {sigma}: quadrature {floor.Floor:R}, SciPy {expected:R}");
        Assert.True(floor.StandardError < 1e-10, $"error estimate {floor.StandardError}");
    }

    [Fact]
    public void Quadrature_floor_of_a_single_gaussian_is_the_closed_form()
    {
        var target = new Mixture([1.0], [new GaussianComponent([0.3], [2.0])]);
        double exact = 1 / (0.7 * 0.7) - 1 / (2.0 + 0.7 * 0.7);
        Assert.Equal(exact, LossFloor.Quadrature(target, 0.7)!.Floor, 1e-13);
    }

    [Fact]
    public void Compute_integrates_up_to_two_dimensions_and_samples_above()
    {
        var two = LossFloor.Compute(GaussianSegment2D(), 1.2, 1000, Root.Child("compute-2d"));
        Assert.Equal(LossFloorMethod.Quadrature, two.Method);
        Assert.Null(LossFloor.Quadrature(MixtureTests.GaussianMixture(3), 0.8));
        var three = LossFloor.Compute(MixtureTests.GaussianMixture(3), 0.8, 1000, Root.Child("compute-3d"));
        Assert.Equal(LossFloorMethod.MonteCarlo, three.Method);
        Assert.Equal(1000, three.Samples);
    }

    [Fact]
    public void Quadrature_floor_lies_within_the_Monte_Carlo_error_of_the_sampled_floor()
    {
        var quadrature = LossFloor.Quadrature(GaussianSegment2D(), 0.3)!;
        var mc = LossFloor.Estimate(GaussianSegment2D(), 0.3, 50_000, Root.Child("vs-mc"));
        Assert.True(Math.Abs(quadrature.Floor - mc.Floor) < 4 * mc.StandardError, $"quadrature {quadrature}, MC {mc}");
    }
}
