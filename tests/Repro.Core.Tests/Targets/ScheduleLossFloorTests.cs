using Repro.Core.Definitions;
using Repro.Core.Random;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

/// <summary>
/// The DSM floor over a schedule, E_σ[λ(σ)(d/σ² − J(p_σ))]/d, against closed forms: for p₀ = N(μ, s²I),
/// p_σ = N(μ, (s² + σ²)I) and J(p_σ) = d/(s² + σ²), so the per-dimension integrand is λ(σ)·s²/(σ²(s² + σ²)).
/// </summary>
public sealed class ScheduleLossFloorTests
{
    const double S = 1.5;

    static Mixture Gaussian() => new([1.0], [new GaussianComponent([0.7, -2.0], [S * S, 0, 0, S * S])]);

    static ScheduleDsmObjective Objective(Schedule schedule, string levels = ScheduleDsmObjective.UniformTime,
        string weighting = ScheduleDsmObjective.SigmaSquared, double sigmaData = 0) =>
        new(schedule, levels, -1.2, 1.2, weighting, sigmaData);

    [Fact]
    public void Ve_with_sigma_squared_weighting_matches_its_closed_form()
    {
        // λ = σ²: ∫₀¹ s²/(s² + σ(t)²) dt with σ = σ_min r^t, r = σ_max/σ_min, is 1 − ln((s² + σ_max²)/(s² + σ_min²))/(2 ln r).
        var objective = Objective(new VeSchedule(0.01, 20));
        var floor = objective.Floor(Gaussian(), 200_000, new RandomStream(1));
        double exact = 1 - Math.Log((S * S + 400) / (S * S + 1e-4)) / (2 * Math.Log(2000));

        Assert.InRange(floor.Floor, exact - 4 * floor.StandardError, exact + 4 * floor.StandardError);
        Assert.InRange(floor.StandardError, 1e-5, 5e-3);
        Assert.Equal(0.01, floor.Sigma, 12);
    }

    [Fact]
    public void Edm_weighting_at_the_data_scale_has_a_floor_of_exactly_one_per_dimension()
    {
        // λ = σ²(σ² + σ_d²)/σ_d² with σ_d = s makes the integrand (σ² + s²)/s² · s²/(s² + σ²) = 1 at every σ
        // (EDM's weighting gives unit loss at every level for Gaussian data of scale σ_data).
        var objective = Objective(new EdmSchedule(0.002, 80, 7), ScheduleDsmObjective.LogNormal, ScheduleDsmObjective.Edm, S);
        var floor = objective.Floor(Gaussian(), 200_000, new RandomStream(2));

        Assert.InRange(floor.Floor, 1 - 4 * floor.StandardError, 1 + 4 * floor.StandardError);
    }

    [Fact]
    public void Vp_levels_in_sigma_space_match_a_fine_quadrature_in_time()
    {
        // σ̃(t) = σ(t)/a(t); λ = σ̃²; the floor is the mean over t ~ U[ε, 1] of s²/(s² + σ̃²), here by Simpson's rule on 20,000 intervals.
        var vp = new VpSchedule(0.1, 20, 1e-3);
        var floor = Objective(vp).Floor(Gaussian(), 200_000, new RandomStream(3));
        int n = 20_000;
        double h = (1 - vp.TimeMin) / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double t = vp.TimeMin + i * h, s = vp.Sigma(t) / vp.Scale(t);
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * S * S / (S * S + s * s);
        }
        double exact = sum * h / 3 / (1 - vp.TimeMin);

        Assert.InRange(floor.Floor, exact - 4 * floor.StandardError, exact + 4 * floor.StandardError);
    }

    [Fact]
    public void Levels_follow_the_schedule_or_the_log_normal_quantiles()
    {
        var ve = Objective(new VeSchedule(0.01, 20));
        Assert.Equal(0.01 * Math.Pow(2000, 0.25), ve.Level(0.25), 12);
        var edm = Objective(new EdmSchedule(0.002, 80, 7), ScheduleDsmObjective.LogNormal);
        // exp(P_mean + P_std Φ⁻¹(0.9)); SciPy: stats.norm.ppf(0.9) = 1.2815515655446004
        Assert.Equal(Math.Exp(-1.2 + 1.2 * 1.2815515655446004), edm.Level(0.9), 12);
        Assert.Equal(0.5 * 0.5 * (0.25 + 4) / 4, Objective(new VeSchedule(0.01, 20), weighting: ScheduleDsmObjective.Edm, sigmaData: 2).Weight(0.5), 14);
    }
}
