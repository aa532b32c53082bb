using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Metrics;

/// <summary>
/// The probability-flow ODE likelihood of a noise-conditional score against the exact log p₀ (issue 15; Song et al.
/// 2021, App. D.2; FFJORD): held-out points x of p₀ are carried from ε to T along the experiment's own probability-flow
/// ODE (<see cref="LikelihoodSettings"/>) with the score under test and with the exact score, each with the exact
/// divergence (the network's own by automatic differentiation, <see cref="IScoreDivergence"/>; the law's closed form)
/// and with Hutchinson's estimator (one Rademacher probe per point, kept along the path; the same probes for both
/// scores). Each of the four runs' error L̂(x) − log p₀(x) is split (<see cref="LikelihoodDecomposition"/>) into the
/// time floor log p_ε − log p₀, the prior gap log N(x_T; 0, s²I) − log p_T(x_T) and the solver/estimator term, each
/// reported as a mean over the points with its standard error; the round trip x → x_T → x (the ODE run back on the
/// sampling grid) checks the integration direction.
/// </summary>
public sealed class OdeLikelihoodMetric : IScoreSourceMetric
{
    /// <summary>The kind.</summary>
    public const string KindName = "ode-likelihood";

    /// <summary>The score sources: the one under test (the trained network) and the exact score.</summary>
    public static IReadOnlyList<string> Scores { get; } = ["learned", "exact"];

    /// <summary>The divergences: exact (the source's own) and Hutchinson's estimator.</summary>
    public static IReadOnlyList<string> Divergences { get; } = ["exact", "hutchinson"];

    /// <summary>The terms of the decomposition, in the order total = time floor + prior + solver.</summary>
    public static IReadOnlyList<string> Terms { get; } = ["total", "time-floor", "prior", "solver"];

    /// <summary>Hutchinson probes per point (score_sde's one; Rademacher, the smaller variance of the two kinds).</summary>
    public const int Probes = 1;

    /// <summary>The row name of the mean of <paramref name="term"/> for one score × divergence cell (<c>ode-likelihood-learned-exact-total</c>).</summary>
    public static string TermName(string score, string divergence, string term) => $"{KindName}-{score}-{divergence}-{term}";

    /// <summary>The row name of its standard error.</summary>
    public static string TermSeName(string score, string divergence, string term) => TermName(score, divergence, term) + "-se";

    /// <summary>The row name of a cell's estimate in nats per dimension, −mean L̂/d.</summary>
    public static string NllName(string score, string divergence) => TermName(score, divergence, "nll");

    /// <summary>The exact −E log p₀(x)/d over the same points, nats per dimension.</summary>
    public static readonly MetricOutput NllP0 = new($"{KindName}-nll-p0", "exact −mean log p₀(x)/d over the held-out points, nats per dimension");

    /// <summary>The number of held-out points.</summary>
    public static readonly MetricOutput PointCount = new($"{KindName}-points", "held-out points of p₀ the likelihood is evaluated on");

    /// <summary>The grid intervals the likelihood ODE ran (the settings' choice, recorded with the values).</summary>
    public static readonly MetricOutput Intervals = new($"{KindName}-intervals", "grid intervals of the likelihood ODE (Heun: two evaluations each)");

    /// <summary>The row name of a score's round-trip error.</summary>
    public static string RoundTripName(string score) => $"{KindName}-round-trip-{score}";

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description => "probability-flow ODE likelihood (learned and exact score × exact and Hutchinson divergence) against the exact log p₀, split into time floor, prior and solver/estimator terms";

    /// <inheritdoc/>
    public MetricScope Scope => MetricScope.Training;

    /// <inheritdoc/>
    public IReadOnlyList<MetricOutput> Outputs { get; } = BuildOutputs();

    /// <inheritdoc/>
    public IReadOnlyList<MetricNeed> Needs { get; } =
        [MetricNeed.TrainedScore, MetricNeed.NoiseConditionalScore, MetricNeed.ExactLaw, MetricNeed.ExactScore, MetricNeed.UnsmoothedLaw, MetricNeed.ProbabilityFlowOde];

    static MetricOutput[] BuildOutputs()
    {
        var outputs = new List<MetricOutput>();
        var what = new Dictionary<string, string>
        {
            ["total"] = "L̂(x) − log p₀(x), the estimate's whole error",
            ["time-floor"] = "log p_ε(x) − log p₀(x), what stopping at the time floor ε costs (exact)",
            ["prior"] = "log N(x_T; 0, s²I) − log p_T(x_T), the Gaussian stand-in against the exact p_T at the latent reached (exact)",
            ["solver"] = "log p_T(x_T) + ℓ − log p_ε(x), what the solver, the divergence estimator and the score add",
        };
        foreach (string score in Scores)
            foreach (string divergence in Divergences)
            {
                string cell = $"{score} score, {divergence} divergence";
                foreach (string term in Terms)
                {
                    outputs.Add(new MetricOutput(TermName(score, divergence, term), $"mean over the held-out points of {what[term]}, nats ({cell})"));
                    outputs.Add(new MetricOutput(TermSeName(score, divergence, term), $"standard error (sd/√n) of {TermName(score, divergence, term)}"));
                }
                outputs.Add(new MetricOutput(NllName(score, divergence), $"−mean L̂(x)/d, the estimate in nats per dimension ({cell}); compare {NllP0.Name}"));
            }
        outputs.Add(NllP0);
        foreach (string score in Scores)
            outputs.Add(new MetricOutput(RoundTripName(score), $"max over the points of ‖x′ − x‖, x′ the ODE's image of its own latent x_T run back on the sampling grid ({score} score)"));
        outputs.Add(PointCount);
        outputs.Add(Intervals);
        return outputs.ToArray();
    }

    /// <summary>
    /// Draws <see cref="LikelihoodSettings.Points"/> points of p₀ from <c>rng.Child("ode-likelihood").Child("points")</c> and
    /// integrates the four runs; the probes come from its child <c>"probes"</c>. The learned cells' exact-divergence rows
    /// are NaN when <paramref name="score"/> gives no divergence of its own.
    /// </summary>
    /// <exception cref="InvalidOperationException">No probability-flow ODE in <paramref name="settings"/> (the registry skips the metric then).</exception>
    public IEnumerable<(string Metric, double Value)> Compute(IScoreSource score, ReferenceLaw law, MetricSettings settings, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(settings);
        var likelihood = settings.Likelihood ?? throw new InvalidOperationException($"{KindName} needs settings.Likelihood (the probability-flow ODE)");
        var target = law.Exact;
        var stream = rng.Child(KindName);
        return Rows(score, target, likelihood.Flow, target.Sample(likelihood.Points, Smoothing.None, stream.Child("points")), stream.Child("probes"));
    }

    /// <summary>
    /// The rows of <see cref="Compute"/> on given points <paramref name="x"/> of p₀ = <paramref name="target"/>, with the
    /// Hutchinson probes keyed by <paramref name="probeStream"/>.
    /// </summary>
    public static IReadOnlyList<(string Metric, double Value)> Rows(IScoreSource score, Mixture target, ProbabilityFlowLikelihood flow, Points x, RandomStream probeStream)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Dimension;
        var probes = new HutchinsonDivergence(new CounterNoise(probeStream), ProbeKind.Rademacher, Probes);
        var exactScore = new ExactScore(target, 0);
        var rows = new List<(string, double)>();
        var roundTrips = new double[Scores.Count];
        double[] logP0 = target.LogDensity(x, Smoothing.None);
        for (int si = 0; si < Scores.Count; si++)
        {
            IScoreSource source = si == 0 ? score : exactScore;
            roundTrips[si] = double.NaN;
            foreach (string divergence in Divergences)
            {
                DivergenceEstimator? estimator = divergence == "hutchinson" ? probes
                    : si == 1 ? new ExactDivergence(target)
                    : source is IScoreDivergence ? new SourceDivergence() : null;
                if (estimator is null)
                {
                    foreach (string term in Terms)
                    {
                        rows.Add((TermName(Scores[si], divergence, term), double.NaN));
                        rows.Add((TermSeName(Scores[si], divergence, term), double.NaN));
                    }
                    rows.Add((NllName(Scores[si], divergence), double.NaN));
                    continue;
                }
                var result = flow.Evaluate(source, x, estimator);
                var parts = LikelihoodDecomposition.Of(target, flow.Schedule, x, result);
                foreach (var (term, values) in new[] { ("total", parts.Total), ("time-floor", parts.TimeFloor), ("prior", parts.Prior), ("solver", parts.Solver) })
                {
                    var (mean, se) = LikelihoodDecomposition.Summary(values);
                    rows.Add((TermName(Scores[si], divergence, term), mean));
                    rows.Add((TermSeName(Scores[si], divergence, term), se));
                }
                rows.Add((NllName(Scores[si], divergence), -parts.Estimate.Average() / d));
                // The latent does not depend on the divergence: the round trip is taken once per score, from the first run.
                if (double.IsNaN(roundTrips[si])) roundTrips[si] = RoundTrip(flow, source, x, result.Latent);
            }
        }
        rows.Add((NllP0.Name, -logP0.Average() / d));
        for (int si = 0; si < Scores.Count; si++) rows.Add((RoundTripName(Scores[si]), roundTrips[si]));
        rows.Add((PointCount.Name, x.Count));
        rows.Add((Intervals.Name, flow.Intervals));
        return rows;
    }

    /// <summary>max_i ‖Decode(x_T)_i − x_i‖: the latent carried back to ε on the sampling grid.</summary>
    static double RoundTrip(ProbabilityFlowLikelihood flow, IScoreSource score, Points x, Points latent)
    {
        var back = flow.Decode(score, latent);
        double worst = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double sum = 0;
            var a = x.Row(i);
            var b = back.Row(i);
            for (int k = 0; k < x.Dimension; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
            // NaN (a run that left every finite value) must show, not lose to Math.Max's ordering.
            worst = double.IsNaN(sum) ? double.NaN : Math.Max(worst, Math.Sqrt(sum));
            if (double.IsNaN(worst)) break;
        }
        return worst;
    }
}
