using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// For a Gaussian p₀ = N(μ, diag(λ)) every marginal is Gaussian and its score is affine,
/// s_t(x) = −(x − a μ)/v with v = a²λ + σ² per coordinate, so each sampler step is an affine map
/// x′ = A x + b (+ c z): the law after N steps has a closed form (the discrete-time recursion, as in
/// Pierret &amp; Galerne 2025), which differs from the exact p_ε by the discretisation error.
/// <list type="bullet">
/// <item>Euler–Maruyama, h = tᵢ − tᵢ₊₁: A = 1 − h f − h g²/v, b = h g² a μ/v, c = √(g² h).</item>
/// <item>ODE Euler, Δ = tᵢ₊₁ − tᵢ, F = α x + β with α = f + ½g²/v, β = −½g² a μ/v: A = 1 + Δα, b = Δβ.</item>
/// <item>ODE Heun: A = 1 + ½Δ(α₀ + α₁(1 + Δα₀)), b = ½Δ(β₀ + α₁Δβ₀ + β₁).</item>
/// <item>End: x/a(ε), or the Tweedie mean ((1 − σ²/v) x + σ² a μ/v)/a.</item>
/// </list>
/// Mean and variance then follow m′ = A m + b, V′ = A² V + c².
/// </summary>
public sealed class GaussianDiffusionLawTests
{
    static readonly double[] Mu = [1.0, -1.0];
    static readonly double[] Lambda = [2.0, 0.5];
    static readonly Mixture Gaussian = new([1.0], [new GaussianComponent(Mu, [Lambda[0], 0, 0, Lambda[1]])]);

    public static TheoryData<string, int, bool> Cases() => new()
    {
        { "ve(sigmaMin=0.01,sigmaMax=20)", 12, false },
        { "vp(betaMin=0.1,betaMax=20)", 12, true },
        { "edm(sigmaMin=0.01,sigmaMax=20)", 8, false },
        { "edm(sigmaMin=0.05,sigmaMax=20,rho=3)", 20, true },
    };

    /// <summary>The affine map (A, b, c²) of one sampler step for coordinate j.</summary>
    static (double A, double B, double C2) Step(Schedule s, string method, double t0, double t1, int j)
    {
        double V(double t) => s.Scale(t) * s.Scale(t) * Lambda[j] + s.Sigma(t) * s.Sigma(t);
        double f0 = s.Drift(t0), g0 = s.DiffusionSquared(t0), v0 = V(t0), am0 = s.Scale(t0) * Mu[j];
        if (method == "em")
        {
            double h = t0 - t1;
            return (1 - h * f0 - h * g0 / v0, h * g0 * am0 / v0, g0 * h);
        }
        double dt = t1 - t0;
        double alpha0 = f0 + 0.5 * g0 / v0, beta0 = -0.5 * g0 * am0 / v0;
        if (method == "euler") return (1 + dt * alpha0, dt * beta0, 0);
        double f1 = s.Drift(t1), g1 = s.DiffusionSquared(t1), v1 = V(t1), am1 = s.Scale(t1) * Mu[j];
        double alpha1 = f1 + 0.5 * g1 / v1, beta1 = -0.5 * g1 * am1 / v1;
        return (1 + 0.5 * dt * (alpha0 + alpha1 * (1 + dt * alpha0)), 0.5 * dt * (beta0 + alpha1 * dt * beta0 + beta1), 0);
    }

    /// <summary>The whole run's affine map and added variance for coordinate j: x_out = A x_T + b + noise(var).</summary>
    static (double A, double B, double NoiseVariance) Run(Schedule s, string method, int n, bool denoise, int j)
    {
        double[] t = s.TimeGrid(n);
        double a = 1, b = 0, v = 0;
        for (int i = 0; i < n; i++)
        {
            var (ai, bi, ci) = Step(s, method, t[i], t[i + 1], j);
            (a, b, v) = (ai * a, ai * b + bi, ai * ai * v + ci);
        }
        double te = s.TimeMin, scale = s.Scale(te), sigma2 = s.Sigma(te) * s.Sigma(te);
        double fa = 1 / scale, fb = 0;
        if (denoise)
        {
            double ve = scale * scale * Lambda[j] + sigma2;
            (fa, fb) = ((1 - sigma2 / ve) / scale, sigma2 * Mu[j] / ve);
        }
        return (fa * a, fa * b + fb, fa * fa * v);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_probability_flow_particle_lands_where_the_affine_recursion_puts_it(string text, int n, bool denoise)
    {
        var schedule = Schedule.Parse(text, "test");
        var x = Points.Zeros(50, 2);
        var rng = new RandomStream(11);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = schedule.PriorStd * rng.NextGaussian();

        foreach (var (method, kind) in new[] { ("euler", OdeMethod.Euler), ("heun", OdeMethod.Heun) })
        {
            var y = x.Clone();
            new ProbabilityFlowOde(schedule, n, kind, denoise).Run(new ExactScore(Gaussian, 0), y, 0, default, null);
            for (int j = 0; j < 2; j++)
            {
                var (a, b, _) = Run(schedule, method, n, denoise, j);
                for (int p = 0; p < x.Count; p++)
                {
                    double expected = a * x[p][j] + b;
                    Assert.True(Math.Abs(y[p][j] - expected) <= 1e-10 * (1 + Math.Abs(expected)), $"{text} {method} particle {p} coordinate {j}: {y[p][j]:R} vs {expected:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Euler_Maruyama_after_N_steps_has_the_recursion_s_mean_and_variance_not_p_eps_s(string text, int n, bool denoise)
    {
        const int particles = 40_000;
        var schedule = Schedule.Parse(text, "test");
        var x = Points.Zeros(particles, 2);
        var rng = new RandomStream(12);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = schedule.PriorStd * rng.NextGaussian();

        new ReverseSde(schedule, n, denoise).Run(new ExactScore(Gaussian, 0), x, 0, new CounterNoise(rng.Child("noise")), null);

        for (int j = 0; j < 2; j++)
        {
            var (a, b, noise) = Run(schedule, "em", n, denoise, j);
            double prior = schedule.PriorStd * schedule.PriorStd;
            double mean = b, variance = a * a * prior + noise;
            double[] column = x.Column(j);
            double m = column.Average(), v = column.Sum(c => (c - m) * (c - m)) / (particles - 1);
            double seMean = Math.Sqrt(variance / particles), seVar = variance * Math.Sqrt(2.0 / (particles - 1));
            Assert.True(Math.Abs(m - mean) <= 4.5 * seMean, $"{text} coordinate {j}: mean {m:R} vs {mean:R} ± {seMean:E2}");
            Assert.True(Math.Abs(v - variance) <= 4.5 * seVar, $"{text} coordinate {j}: variance {v:R} vs {variance:R} ± {seVar:E2}");
            // The closed form is the discrete chain's, not p_ε's: at these coarse grids they differ
            // by more than the test's resolution, so a sampler that hit p_ε exactly would fail.
            double exactVariance = denoise ? double.NaN : Lambda[j] + Math.Pow(schedule.Sigma(schedule.TimeMin) / schedule.Scale(schedule.TimeMin), 2);
            if (!denoise) Assert.True(Math.Abs(exactVariance - variance) > 4.5 * seVar, $"{text} coordinate {j}: recursion {variance:R} too close to p_ε's {exactVariance:R} to tell apart");
        }
    }

    [Fact]
    public void Annealed_Langevin_after_all_levels_has_the_recursion_s_mean_and_variance_not_p_sigma_s()
    {
        // At level σᵢ the exact score is −(x − μ)/vᵢ with vᵢ = λ + σᵢ², so one move x′ = x + (αᵢ/2)s + √αᵢ z is affine:
        // A = 1 − αᵢ/(2vᵢ), b = αᵢ μ/(2vᵢ), c² = αᵢ (αᵢ = η (σᵢ/σ_L)², Song & Ermon 2019, Algorithm 1).
        // Coarse settings (3 levels σ 4 → 1, 6 steps, η = 0.3) so the chain is far from stationary and its law is its own.
        const int particles = 40_000;
        var sampler = new AnnealedLangevin(4, 1, 3, 6, 0.3);
        var x = Points.Zeros(particles, 2);
        var rng = new RandomStream(13);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = 3 * rng.NextGaussian();

        sampler.Run(new ExactScore(Gaussian, 0), x, 0, new CounterNoise(rng.Child("noise")), null);

        for (int j = 0; j < 2; j++)
        {
            double mean = 0, variance = 9;
            foreach (double sigma in sampler.NoiseLevels())
            {
                double alpha = 0.3 * sigma * sigma, v = Lambda[j] + sigma * sigma;
                for (int k = 0; k < 6; k++)
                {
                    double a = 1 - alpha / (2 * v);
                    (mean, variance) = (a * mean + alpha * Mu[j] / (2 * v), a * a * variance + alpha);
                }
            }
            double[] column = x.Column(j);
            double m = column.Average(), var = column.Sum(c => (c - m) * (c - m)) / (particles - 1);
            double seMean = Math.Sqrt(variance / particles), seVar = variance * Math.Sqrt(2.0 / (particles - 1));
            Assert.True(Math.Abs(m - mean) <= 4.5 * seMean, $"coordinate {j}: mean {m:R} vs {mean:R} ± {seMean:E2}");
            Assert.True(Math.Abs(var - variance) <= 4.5 * seVar, $"coordinate {j}: variance {var:R} vs {variance:R} ± {seVar:E2}");
            // Not p_σ at the last level (λ + 1): the recursion is the chain's own law.
            Assert.True(Math.Abs(Lambda[j] + 1 - variance) > 4.5 * seVar, $"coordinate {j}: recursion {variance:R} too close to p_σ's {Lambda[j] + 1}");
        }
    }
}
