using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>
/// The probability-flow likelihood with the exact score: against the exact log p_ε, with the exact
/// divergence and with Hutchinson's estimator, and its error split into time floor, prior and
/// solver/estimator terms that must close within their Monte Carlo error.
/// </summary>
public sealed class ProbabilityFlowLikelihoodTests
{
    static readonly Mixture Target = new([0.3, 0.7],
        [new GaussianComponent([-2.0, 0.5], [0.5, 0.2, 0.2, 0.8]), new GaussianComponent([2.0, -1.0], [1, 0, 0, 0.3])]);

    public static TheoryData<string> Schedules() => new(
        "ve(sigmaMin=0.01,sigmaMax=20)", "vp(betaMin=0.1,betaMax=20)", "edm(sigmaMin=0.01,sigmaMax=20)");

    static Points Data(int n) => Target.Sample(n, new RandomStream(41));

    /// <summary>The divergence with its sign flipped: what an integration the wrong way round accumulates.</summary>
    sealed class Flipped(DivergenceEstimator inner) : DivergenceEstimator
    {
        public override void Divergence(ScheduledScore score, ReadOnlySpan<double> x, int dimension, double t, long firstParticle, Span<double> result)
        {
            inner.Divergence(score, x, dimension, t, firstParticle, result);
            for (int i = 0; i < result.Length; i++) result[i] = -result[i];
        }
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void With_the_exact_divergence_the_flow_recovers_the_exact_log_p_eps(string text)
    {
        var schedule = Schedule.Parse(text, "test");
        var x = Data(48);
        var likelihood = new ProbabilityFlowLikelihood(schedule, 200, OdeMethod.Heun);

        var result = likelihood.Evaluate(new ExactScore(Target, 0), x, new ExactDivergence(Target));
        var parts = LikelihoodDecomposition.Of(Target, schedule, x, result);

        Assert.True(parts.Solver.Max(Math.Abs) < 5e-3, $"{text}: largest solver error {parts.Solver.Max(Math.Abs):E2}");
        for (int i = 0; i < x.Count; i++)
            Assert.Equal(parts.Total[i], parts.TimeFloor[i] + parts.Prior[i] + parts.Solver[i], 1e-9);
        // The round trip x → z → x goes back where it started: the integration runs the right way.
        var back = likelihood.Decode(new ExactScore(Target, 0), result.Latent);
        Assert.True(back.Data.Zip(x.Data).Max(p => Math.Abs(p.First - p.Second)) < 2e-3, $"{text}: round trip off");
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Hutchinson_estimates_close_the_decomposition_within_their_Monte_Carlo_error(string text)
    {
        var schedule = Schedule.Parse(text, "test");
        var x = Data(200);
        var likelihood = new ProbabilityFlowLikelihood(schedule, 100, OdeMethod.Heun);

        foreach (var kind in new[] { ProbeKind.Rademacher, ProbeKind.Gaussian })
        {
            var hutchinson = new HutchinsonDivergence(new CounterNoise(new RandomStream(42)), kind, 1);
            var parts = LikelihoodDecomposition.Of(Target, schedule, x, likelihood.Evaluate(new ExactScore(Target, 0), x, hutchinson));
            var (total, _) = LikelihoodDecomposition.Summary(parts.Total);
            var (floor, _) = LikelihoodDecomposition.Summary(parts.TimeFloor);
            var (prior, _) = LikelihoodDecomposition.Summary(parts.Prior);
            var (solver, se) = LikelihoodDecomposition.Summary(parts.Solver);

            // The exact terms (time floor, prior) and the estimate close: what is left is the estimator's
            // zero-mean error plus a solver error of order 1e-3.
            Assert.True(se > 0, "the estimator must have Monte Carlo error");
            Assert.True(Math.Abs(total - floor - prior) <= 4 * se + 2e-3, $"{text} {kind}: residual {total - floor - prior:E2} ± {se:E2}");
            Assert.Equal(solver, total - floor - prior, 1e-9);
        }

        // Integrated the wrong way round, the accumulated divergence has the wrong sign and the
        // decomposition is far from closing: the check can fail.
        var wrong = LikelihoodDecomposition.Of(Target, schedule, x,
            likelihood.Evaluate(new ExactScore(Target, 0), x, new Flipped(new ExactDivergence(Target))));
        var (wrongSolver, _) = LikelihoodDecomposition.Summary(wrong.Solver);
        Assert.True(Math.Abs(wrongSolver) > 1, $"{text}: flipped divergence gives only {wrongSolver:E2}");
    }

    [Fact]
    public void The_time_floor_and_prior_gaps_have_the_signs_and_sizes_of_their_closed_forms()
    {
        // p₀ = N(0, λ) in 1-D under VE: p_ε = N(0, λ + σ_min²), p_T = N(0, λ + σ_max²), prior N(0, σ_max²).
        var gaussian = new Mixture([1.0], [new GaussianComponent([0.0], [2.0])]);
        var schedule = Schedule.Parse("ve(sigmaMin=0.3,sigmaMax=5)", "test");
        var x = new Points([0.0, 1.0, -2.0], 1);
        var result = new ProbabilityFlowLikelihood(schedule, 400, OdeMethod.Heun).Evaluate(new ExactScore(gaussian, 0), x, new ExactDivergence(gaussian));
        var parts = LikelihoodDecomposition.Of(gaussian, schedule, x, result);

        static double LogN(double v, double var) => -0.5 * Math.Log(2 * Math.PI * var) - v * v / (2 * var);
        for (int i = 0; i < 3; i++)
        {
            double xi = x.Data[i];
            Assert.Equal(LogN(xi, 2.09) - LogN(xi, 2.0), parts.TimeFloor[i], 1e-12);
            double z = result.Latent.Data[i];
            Assert.Equal(LogN(z, 25.0) - LogN(z, 27.0), parts.Prior[i], 1e-12);
            // The flow of a Gaussian is linear: z = x √((λ + σ_T²)/(λ + σ_ε²)).
            Assert.Equal(xi * Math.Sqrt(27.0 / 2.09), z, 1e-4 * (1 + Math.Abs(z)));
            Assert.True(Math.Abs(parts.Solver[i]) < 1e-4, $"point {i}: solver {parts.Solver[i]:E2}");
        }
    }
}
