using System.Globalization;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Reporting.Model;

namespace Repro.Reporting;

/// <summary>
/// The experiment page's probability-flow likelihood section (<see cref="OdeLikelihoodMetric"/>): the decomposition of
/// the estimate's error L̂ − log p₀ into time floor, prior and solver/estimator terms for each score (learned, exact) ×
/// divergence (exact, Hutchinson), mean over seeds with its 95% interval, and one sentence on whether it closes, by
/// <see cref="Closes"/> applied to every seed.
/// </summary>
public static class LikelihoodSection
{
    /// <summary>
    /// The closing rule, per seed and cell: the two exact terms (time floor and prior) account for the total within twice
    /// its Monte Carlo standard error, |mean total − mean time floor − mean prior| = |mean solver| ≤ 2·SE(total). With the
    /// exact score the solver term is the discretisation (and, for Hutchinson, the estimator's zero-mean noise, which is
    /// inside SE(total)); with the learned score it is also what the network adds.
    /// </summary>
    public static bool Closes(double solver, double totalStandardError) =>
        double.IsFinite(solver) && double.IsFinite(totalStandardError) && Math.Abs(solver) <= 2 * totalStandardError;

    static string Label(string term) => term switch
    {
        "total" => "total L̂ − log p₀",
        "time-floor" => "time floor log p_ε − log p₀",
        "prior" => "prior log N(x_T) − log p_T",
        "solver" => "solver/estimator",
        _ => term,
    };

    /// <summary>The section's blocks, or none when the results hold no <c>ode-likelihood</c> rows.</summary>
    public static IReadOnlyList<Block> Build(ExperimentResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        string reconstruction = MetricNames.TrainingReconstruction, reference = GateDefinition.P0;
        double[] Values(string metric) => results.Values(reconstruction, reference, metric);
        if (Values(OdeLikelihoodMetric.PointCount.Name).All(double.IsNaN)) return [];

        var seeds = results.Definition.Seeds;
        var rows = new List<IReadOnlyList<string>>();
        var closing = new Dictionary<(string Score, string Divergence), (int Closed, int Judged)>();
        foreach (string score in OdeLikelihoodMetric.Scores)
            foreach (string divergence in OdeLikelihoodMetric.Divergences)
            {
                double[] solver = Values(OdeLikelihoodMetric.TermName(score, divergence, "solver"));
                double[] totalSe = Values(OdeLikelihoodMetric.TermSeName(score, divergence, "total"));
                int judged = 0, closed = 0;
                for (int i = 0; i < seeds.Count; i++)
                {
                    if (!double.IsFinite(solver[i]) || !double.IsFinite(totalSe[i])) continue;
                    judged++;
                    if (Closes(solver[i], totalSe[i])) closed++;
                }
                closing[(score, divergence)] = (closed, judged);
                var row = new List<string> { score, divergence };
                foreach (string term in OdeLikelihoodMetric.Terms)
                    row.Add(Estimate.Of(Values(OdeLikelihoodMetric.TermName(score, divergence, term))).Format("G3"));
                row.Add(Estimate.Of(totalSe).Format("G2"));
                row.Add(Estimate.Of(Values(OdeLikelihoodMetric.NllName(score, divergence))).Format("F4"));
                row.Add(judged == 0 ? "—" : $"{closed} of {judged}");
                rows.Add(row);
            }

        var d = results.Definition;
        var ode = d.Reconstructions.Select(r => r.Sampler).OfType<ProbabilityFlowSampler>().FirstOrDefault();
        string Number(string metric)
        {
            var v = Values(metric).Where(double.IsFinite).Distinct().ToArray();
            return v.Length == 1 ? v[0].ToString("G", CultureInfo.InvariantCulture) : Estimate.Of(Values(metric)).Format("G3");
        }
        string points = Number(OdeLikelihoodMetric.PointCount.Name), intervals = Number(OdeLikelihoodMetric.Intervals.Name);
        string nllP0 = Estimate.Of(Values(OdeLikelihoodMetric.NllP0.Name)).Format("F4");
        string solverText = ode is null ? $"the experiment's probability-flow ODE ({intervals} steps)"
            : $"the ODE of its probability-flow reconstruction ({ode.Method} on the {ode.Schedule.KindName} grid σ {ode.Schedule.Sigma(ode.Schedule.TimeMax).ToString("G4", CultureInfo.InvariantCulture)} → {ode.Schedule.Sigma(ode.Schedule.TimeMin).ToString("G4", CultureInfo.InvariantCulture)}) with {intervals} steps where the sampler takes {ode.Intervals}";
        var blocks = new List<Block>
        {
            new Heading(2, "Probability-flow likelihood"),
            new Paragraph($"Each seed's held-out points of p₀ ({points} per seed, fresh draws of its own evaluation stream) are carried from the time floor ε to T along {solverText}, accumulating the divergence of the drift, with the learned and with the exact score, each with the exact divergence (the network's own by automatic differentiation; the mixture's closed form) and with Hutchinson's estimator (one Rademacher probe per point, the same probes for both scores). The estimate L̂ = log N(x_T; 0, s²I) + ∫∇·F dt is compared with the exact log p₀; its error splits into the time floor log p_ε − log p₀ and the prior gap log N(x_T) − log p_T(x_T) (both exact) and the solver/estimator term (the rest), which add up to it point by point."),
            new Model.Table(["score", "divergence", .. OdeLikelihoodMetric.Terms.Select(Label), "SE of the total", "nats/dim (exact p₀: " + nllP0 + ")", "closes (seeds)"], rows,
                "Each term in nats: the mean over one seed's points, then mean ± 95% interval over seeds. SE of the total: one seed's standard error of the mean of L̂ − log p₀ over its points (sd/√n). nats/dim: −mean L̂/d. A seed closes when |solver/estimator| ≤ 2 × SE of the total (the two exact terms explain the total within its Monte Carlo error)."),
            new Paragraph(Verdict(closing, Values)),
        };
        var trips = OdeLikelihoodMetric.Scores.Select(s => $"{s} score {Estimate.Of(Values(OdeLikelihoodMetric.RoundTripName(s))).Format("G2")}");
        blocks.Add(new Paragraph($"Round trip x → x_T → x (the latent carried back by the sampler's own ODE code on the same grid; the largest ‖x′ − x‖ over a seed's points, mean over seeds): {string.Join(", ", trips)}. A likelihood integrated the wrong way cannot return to its start."));
        return blocks;
    }

    /// <summary>The sentence: whether the exact score's decomposition closes in every seed, and what the network adds.</summary>
    static string Verdict(Dictionary<(string Score, string Divergence), (int Closed, int Judged)> closing, Func<string, double[]> values)
    {
        string Count((int Closed, int Judged) c) => c.Judged == 0 ? "in no seed (no results)" : c.Closed == c.Judged ? $"in all {c.Judged} seeds" : $"in {c.Closed} of {c.Judged} seeds";
        var exactExact = closing[("exact", "exact")];
        var exactHutchinson = closing[("exact", "hutchinson")];
        bool closes = exactExact.Judged > 0 && exactExact.Closed == exactExact.Judged && exactHutchinson.Closed == exactHutchinson.Judged;
        var learned = Estimate.Of(values(OdeLikelihoodMetric.TermName("learned", "exact", "solver")));
        var learnedClosing = closing[("learned", "exact")];
        string network = learned.Count == 0 ? "the learned score has no exact-divergence result"
            : learnedClosing.Closed == learnedClosing.Judged
                ? $"with the learned score the solver term, {learned.Format("G3")} nats per point (exact divergence), stays within 2 standard errors of the total in all {learnedClosing.Judged} seeds: the network adds nothing this Monte Carlo error resolves"
                : $"with the learned score the solver term is {learned.Format("G3")} nats per point (exact divergence), beyond 2 standard errors of the total in {learnedClosing.Judged - learnedClosing.Closed} of {learnedClosing.Judged} seeds: that is what the network adds";
        return (closes ? "The decomposition closes: " : "The decomposition does not close: ")
            + $"with the exact score the time floor and prior account for the total within 2 standard errors {Count(exactExact)} with the exact divergence and {Count(exactHutchinson)} with Hutchinson's estimator; "
            + network + ".";
    }
}
