using System.Text.Json;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Schedules;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

/// <summary>
/// The <c>ode-likelihood</c> metric: the probability-flow likelihood of a Gaussian p₀ against its closed form (SciPy,
/// Fixtures/likelihood/make_fixtures.py), the decomposition closing within its Monte Carlo error, the round trip,
/// and a flow integrated the wrong way caught by both the likelihood and the round trip.
/// </summary>
public sealed class OdeLikelihoodMetricTests
{
    sealed record Fixture(Mixture Target, Points X, IReadOnlyList<JsonElement> Schedules);

    static Fixture Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "likelihood", "gaussian-flow.json")));
        var root = doc.RootElement;
        double[] mean = root.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] cov = root.GetProperty("covariance").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        double[] x = root.GetProperty("points").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        return new Fixture(new Mixture([1.0], [new GaussianComponent(mean, cov)]), new Points(x, 2),
            root.GetProperty("schedules").EnumerateArray().Select(e => e.Clone()).ToList());
    }

    static double[] Column(JsonElement schedule, string name) => schedule.GetProperty(name).EnumerateArray()
        .SelectMany(v => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(w => w.GetDouble()) : [v.GetDouble()]).ToArray();

    public static TheoryData<int> ScheduleIndices() => new(0, 1, 2);

    /// <summary>The seed experiments' likelihood ODE: Heun on EDM's ρ = 7 grid σ 20 → 0.01, 8 × their sampler's 40 steps (the evaluator's choice).</summary>
    static readonly ProbabilityFlowLikelihood ExperimentFlow = new(Schedule.Parse("edm(sigmaMin=0.01,sigmaMax=20,rho=7)", "test"), 320, OdeMethod.Heun);

    /// <summary>The sampler's own 40 steps.</summary>
    static readonly ProbabilityFlowLikelihood SamplerFlow = ExperimentFlow with { Intervals = 40 };

    static Dictionary<string, double> RowsOf(IEnumerable<(string Metric, double Value)> rows) => rows.ToDictionary(r => r.Metric, r => r.Value);

    [Theory]
    [MemberData(nameof(ScheduleIndices))]
    public void The_flow_of_a_Gaussian_matches_its_closed_form(int index)
    {
        var f = Load();
        var expected = f.Schedules[index];
        var schedule = Schedule.Parse(expected.GetProperty("schedule").GetString()!, "fixture");
        var flow = new ProbabilityFlowLikelihood(schedule, 400, OdeMethod.Heun);

        var result = flow.Evaluate(new ExactScore(f.Target, 0), f.X, new ExactDivergence(f.Target));
        var parts = LikelihoodDecomposition.Of(f.Target, schedule, f.X, result);

        // SciPy: x_T = a_T μ + C_T^½ C_ε^−½ (x − a_ε μ) and ℓ = ½(log det C_T − log det C_ε), C_t = a²Σ + σ²I.
        double[] latent = Column(expected, "latent");
        for (int i = 0; i < latent.Length; i++)
            Assert.True(Math.Abs(result.Latent.Data[i] - latent[i]) <= 5e-4 * (1 + Math.Abs(latent[i])), $"{schedule.KindName}: latent[{i}] {result.Latent.Data[i]} vs {latent[i]}");
        double[] delta = Column(expected, "delta"), logPrior = Column(expected, "log_prior"), floor = Column(expected, "time_floor"),
            prior = Column(expected, "prior"), total = Column(expected, "total");
        for (int i = 0; i < f.X.Count; i++)
        {
            Assert.Equal(delta[i], result.DeltaLogDensity[i], 1e-3);
            Assert.Equal(logPrior[i], result.LogPrior[i], 1e-3);
            Assert.Equal(floor[i], parts.TimeFloor[i], 1e-10);
            Assert.Equal(prior[i], parts.Prior[i], 1e-3);
            Assert.Equal(total[i], parts.Total[i], 1e-3);
            Assert.True(Math.Abs(parts.Solver[i]) < 1e-3, $"{schedule.KindName}: solver term {parts.Solver[i]:E2} at point {i}");
        }
    }

    [Fact]
    public void On_the_experiments_own_ODE_the_exact_score_rows_match_the_closed_form()
    {
        var f = Load();
        var expected = f.Schedules[1]; // EDM σ 0.01 → 20: the same flow map as the grid's, at its two ends
        var rows = RowsOf(OdeLikelihoodMetric.Rows(new ExactScore(f.Target, 0), f.Target, ExperimentFlow, f.X, new RandomStream(7)));

        foreach (string score in OdeLikelihoodMetric.Scores)
        {
            // 320 Heun steps on the ρ = 7 grid: the solver's own error is below 1e-3 nats per point here.
            Assert.Equal(Column(expected, "total").Average(), rows[OdeLikelihoodMetric.TermName(score, "exact", "total")], 1e-3);
            Assert.Equal(Column(expected, "time_floor").Average(), rows[OdeLikelihoodMetric.TermName(score, "exact", "time-floor")], 1e-10);
            Assert.Equal(Column(expected, "prior").Average(), rows[OdeLikelihoodMetric.TermName(score, "exact", "prior")], 1e-3);
            Assert.True(Math.Abs(rows[OdeLikelihoodMetric.TermName(score, "exact", "solver")]) < 1e-3);
            Assert.True(rows[OdeLikelihoodMetric.RoundTripName(score)] < 1e-3, $"{score}: round trip {rows[OdeLikelihoodMetric.RoundTripName(score)]:E2}");
            double estimate = Column(expected, "log_prior").Zip(Column(expected, "delta"), (a, b) => a + b).Average();
            Assert.Equal(-estimate / 2, rows[OdeLikelihoodMetric.NllName(score, "exact")], 1e-3);
        }
        Assert.Equal(-Column(expected, "log_p0").Average() / 2, rows[OdeLikelihoodMetric.NllP0.Name], 1e-10);
        Assert.Equal(16, rows[OdeLikelihoodMetric.PointCount.Name]);
        Assert.Equal(320, rows[OdeLikelihoodMetric.Intervals.Name]);
    }

    [Fact]
    public void Every_row_is_a_declared_output_and_the_terms_add_up_to_the_total()
    {
        var f = Load();
        var rows = OdeLikelihoodMetric.Rows(new ExactScore(f.Target, 0), f.Target, ExperimentFlow, f.X, new RandomStream(7));
        var metric = new OdeLikelihoodMetric();
        Assert.Equal(metric.Outputs.Select(o => o.Name), rows.Select(r => r.Metric));
        var byName = RowsOf(rows);
        foreach (string score in OdeLikelihoodMetric.Scores)
            foreach (string divergence in OdeLikelihoodMetric.Divergences)
            {
                double Term(string term) => byName[OdeLikelihoodMetric.TermName(score, divergence, term)];
                Assert.Equal(Term("total"), Term("time-floor") + Term("prior") + Term("solver"), 1e-12);
            }
    }

    /// <summary>Two blobs with correlated covariances, so a Rademacher probe does not give the trace exactly.</summary>
    static readonly Mixture Blobs = new([0.4, 0.6],
        [new GaussianComponent([-3.0, 1.0], [1.0, 0.6, 0.6, 0.8]), new GaussianComponent([2.5, -0.5], [0.7, -0.4, -0.4, 1.2])]);

    [Fact]
    public void With_the_exact_score_the_decomposition_closes_within_its_Monte_Carlo_error()
    {
        var rng = new RandomStream(20261130);
        var x = Blobs.Sample(300, Smoothing.None, rng.Child("points"));
        var rows = RowsOf(OdeLikelihoodMetric.Rows(new ExactScore(Blobs, 0), Blobs, ExperimentFlow, x, rng.Child("probes")));

        // Exact divergence: the solver term is the discretisation alone, well below the total's own Monte Carlo error.
        double seTotal = rows[OdeLikelihoodMetric.TermSeName("exact", "exact", "total")];
        Assert.True(Math.Abs(rows[OdeLikelihoodMetric.TermName("exact", "exact", "solver")]) < 0.25 * seTotal,
            $"exact divergence: solver {rows[OdeLikelihoodMetric.TermName("exact", "exact", "solver")]:E2}, total's SE {seTotal:E2}");
        // Hutchinson: the estimator's error is zero-mean, so its mean lies within 3 standard errors of 0 (plus the
        // discretisation just bounded), and the estimator has Monte Carlo error (the probes are not all exact).
        double solver = rows[OdeLikelihoodMetric.TermName("exact", "hutchinson", "solver")];
        double se = rows[OdeLikelihoodMetric.TermSeName("exact", "hutchinson", "solver")];
        Assert.True(se > 1e-4, $"Hutchinson's solver term has standard error {se:E2}: the probes add no noise");
        Assert.True(Math.Abs(solver) <= 3 * se + 1e-3, $"Hutchinson: solver {solver:E3} ± {se:E3}");
        // The two exact terms do not depend on the divergence.
        Assert.Equal(rows[OdeLikelihoodMetric.TermName("exact", "exact", "time-floor")], rows[OdeLikelihoodMetric.TermName("exact", "hutchinson", "time-floor")], 1e-12);
    }

    [Fact]
    public void A_wrong_score_shows_in_the_solver_term_and_not_in_the_exact_terms()
    {
        var rng = new RandomStream(5);
        var x = Blobs.Sample(100, Smoothing.None, rng.Child("points"));
        // The score at 1.3× its size: the learned cells must move, the exact cells not.
        var rows = RowsOf(OdeLikelihoodMetric.Rows(new ScaledScore(new ExactScore(Blobs, 0), 1.3), Blobs, ExperimentFlow, x, rng.Child("probes")));
        double learned = rows[OdeLikelihoodMetric.TermName("learned", "hutchinson", "solver")];
        double se = rows[OdeLikelihoodMetric.TermSeName("learned", "hutchinson", "solver")];
        Assert.True(Math.Abs(learned) > 5 * se, $"a 1.3× score moves the solver term by {learned:E2} ± {se:E2} only");
        Assert.True(double.IsNaN(rows[OdeLikelihoodMetric.TermName("learned", "exact", "total")]), "a source with no divergence of its own has no exact-divergence cell");
        Assert.True(Math.Abs(rows[OdeLikelihoodMetric.TermName("exact", "exact", "solver")]) < 1e-3);
    }

    [Fact]
    public void A_flow_integrated_the_wrong_way_gives_the_wrong_likelihood_by_far_and_fails_the_round_trip()
    {
        var f = Load();
        var expected = f.Schedules[1];
        var reversed = ExperimentFlow with { Reversed = true };
        var right = RowsOf(OdeLikelihoodMetric.Rows(new ExactScore(f.Target, 0), f.Target, ExperimentFlow, f.X, new RandomStream(7)));
        var wrong = RowsOf(OdeLikelihoodMetric.Rows(new ExactScore(f.Target, 0), f.Target, reversed, f.X, new RandomStream(7)));

        double exactNll = -Column(expected, "log_p0").Average() / 2;
        string nll = OdeLikelihoodMetric.NllName("exact", "exact");
        Assert.True(Math.Abs(right[nll] - exactNll) < 1e-2);
        // Run the wrong way the flow contracts instead of spreading: the estimate is off by nats per dimension.
        Assert.True(Math.Abs(wrong[nll] - exactNll) > 1, $"reversed flow: {wrong[nll]:F3} nats/dim against the exact {exactNll:F3}");
        Assert.True(Math.Abs(wrong[OdeLikelihoodMetric.TermName("exact", "exact", "solver")]) > 1);
        Assert.True(wrong[OdeLikelihoodMetric.RoundTripName("exact")] > 1, $"round trip of the reversed flow: {wrong[OdeLikelihoodMetric.RoundTripName("exact")]:E2}");
        Assert.True(right[OdeLikelihoodMetric.RoundTripName("exact")] < 1e-3);
    }

    [Fact]
    public void Without_a_probability_flow_ODE_the_metric_is_skipped_with_a_reason()
    {
        var law = new ReferenceLaw(Blobs, Smoothing.None, Blobs.Sample(10, new RandomStream(1)));
        var settings = new MetricSettings(1, 1, 1, 1);
        string? reason = MetricRegistry.WhySkipped(new OdeLikelihoodMetric(), law, settings);
        Assert.Contains("probability-flow", reason);
        Assert.Null(MetricRegistry.WhySkipped(new OdeLikelihoodMetric(), law, settings with { Likelihood = new LikelihoodSettings(ExperimentFlow, 10) }));
    }

    [Fact]
    public void At_the_samplers_own_40_steps_the_discretisation_exceeds_the_Monte_Carlo_error()
    {
        // Why the likelihood runs 8× finer than the sampler: the closing check must be able to fail on the solver.
        var rng = new RandomStream(20261130);
        var x = Blobs.Sample(300, Smoothing.None, rng.Child("points"));
        var coarse = RowsOf(OdeLikelihoodMetric.Rows(new ExactScore(Blobs, 0), Blobs, SamplerFlow, x, rng.Child("probes")));
        double solver = coarse[OdeLikelihoodMetric.TermName("exact", "exact", "solver")];
        double seTotal = coarse[OdeLikelihoodMetric.TermSeName("exact", "exact", "total")];
        Assert.True(Math.Abs(solver) > 2 * seTotal, $"40 steps: solver {solver:E2}, total's SE {seTotal:E2}");
    }
}
