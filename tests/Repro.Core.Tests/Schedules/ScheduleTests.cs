using Repro.Core.Definitions;
using Repro.Core.Schedules;

namespace Repro.Core.Tests.Schedules;

public sealed class ScheduleTests
{
    public static TheoryData<string> Kinds() => new(
        "ve(sigmaMin=0.01,sigmaMax=50)", "vp(betaMin=0.1,betaMax=20)", "vp(betaMin=0.1,betaMax=20,epsilon=1e-5)",
        "edm(sigmaMin=0.002,sigmaMax=80)", "edm(sigmaMin=0.01,sigmaMax=20,rho=3)");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Derivatives_match_central_differences_and_the_forward_SDE_keeps_the_marginal_variance(string text)
    {
        var s = Schedule.Parse(text, "test");
        foreach (double u in new[] { 0.0, 0.1, 0.37, 0.8, 1.0 })
        {
            double t = s.TimeMin + u * (s.TimeMax - s.TimeMin);
            // Central, with a step relative to t: σ′ of VP grows like 1/√t near its floor.
            double h = 1e-6 * Math.Max(t, 1e-3);
            double lo = t - h, hi = t + h;
            Assert.Equal((s.Scale(hi) - s.Scale(lo)) / (hi - lo), s.ScaleDerivative(t), 1e-5 * (1 + Math.Abs(s.ScaleDerivative(t))));
            Assert.Equal((s.Sigma(hi) - s.Sigma(lo)) / (hi - lo), s.SigmaDerivative(t), 1e-5 * (1 + Math.Abs(s.SigmaDerivative(t))));
            // Linear SDE dx = f x dt + g dw: d(σ²)/dt = 2fσ² + g² and da/dt = f a.
            double sigma = s.Sigma(t);
            Assert.Equal(2 * sigma * s.SigmaDerivative(t), 2 * s.Drift(t) * sigma * sigma + s.DiffusionSquared(t), 1e-9 * (1 + 2 * sigma * s.SigmaDerivative(t)));
            Assert.True(s.DiffusionSquared(t) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_time_grid_runs_from_T_down_to_the_floor_strictly(string text)
    {
        var s = Schedule.Parse(text, "test");
        double[] grid = s.TimeGrid(17);

        Assert.Equal(18, grid.Length);
        Assert.Equal(s.TimeMax, grid[0]);
        Assert.Equal(s.TimeMin, grid[^1]);
        for (int i = 1; i < grid.Length; i++) Assert.True(grid[i] < grid[i - 1]);
    }

    [Fact]
    public void The_VP_schedule_is_score_sde_s_and_ends_near_its_prior()
    {
        var vp = (VpSchedule)Schedule.Parse("vp(betaMin=0.1,betaMax=20)", "test");

        // score_sde VPSDE: g² = β(t), f = −β/2; a(1) = exp(−(20 − 0.1)/4 − 0.05) ≈ 0.00657.
        Assert.Equal(vp.Beta(0.3), vp.DiffusionSquared(0.3), 1e-12);
        Assert.Equal(-vp.Beta(0.3) / 2, vp.Drift(0.3), 1e-12);
        Assert.Equal(Math.Exp(-19.9 / 4 - 0.05), vp.Scale(1), 1e-15);
        Assert.Equal(1.0, vp.PriorStd);
        Assert.Equal(1e-3, vp.TimeMin);
    }

    [Fact]
    public void The_EDM_grid_is_eq_5_with_rho_7()
    {
        var edm = Schedule.Parse("edm(sigmaMin=0.002,sigmaMax=80)", "test");
        double[] grid = edm.TimeGrid(18);

        // EDM eq. 5: σ_i = (σ_max^{1/ρ} + i/(N−1)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ with N − 1 = 18 intervals.
        double expected = Math.Pow(Math.Pow(80, 1 / 7.0) + 9 / 18.0 * (Math.Pow(0.002, 1 / 7.0) - Math.Pow(80, 1 / 7.0)), 7);
        Assert.Equal(expected, grid[9], 1e-12);
        Assert.Equal(1.0, edm.Scale(3.0));
        Assert.Equal(3.0, edm.Sigma(3.0));
    }

    [Theory]
    [InlineData("ve(sigmaMin=1,sigmaMax=0.5)", "test: $.sigmaMax: must be > sigmaMin (1) (got 0.5)")]
    [InlineData("vp(betaMin=0.1)", "test: $.betaMax: required field is missing")]
    [InlineData("edm(sigmaMin=0.01,sigmaMax=50,rh=7)", "test: $.rh: unknown key (did you mean \"rho\"?)")]
    [InlineData("cosine(s=0.008)", "test: $.kind: unknown kind \"cosine\" (known: edm, ve, vp)")]
    [InlineData("ve(sigmaMin=0.01,sigmaMax=abc)", "test: \"sigmaMax=abc\" must be key=number")]
    [InlineData("ve(sigmaMin=0.01", "test: must look like KIND(key=value,...) (got \"ve(sigmaMin=0.01\")")]
    public void A_malformed_schedule_is_refused_with_its_field_and_reason(string text, string message)
    {
        var e = Assert.Throws<DefinitionException>(() => Schedule.Parse(text, "test"));
        Assert.Equal(message, e.Message);
    }
}
