using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Results;

namespace Repro.Reporting;

/// <summary>
/// The seed report's claims (its Figs. 1–7 and §4), each judged from stored metrics, and two follow-up
/// claims about its own forward process x_t = x₀ + σ_t ε (rows 11–12: a score trained over every noise
/// level, integrated back to p₀). The claims name the experiments they are about; a claim whose
/// experiment has no results reads "not assessed".
/// </summary>
public static class SeedReportClaims
{
    const string OneD = "dsm-1d-two-gaussians", Blobs = "dsm-2d-two-blobs", Line = "dsm-2d-blob-line";
    const string BlobsDiffusion = "dsm-2d-two-blobs-diffusion", Control = "ncsn-mode-weights", ControlDiffusion = "ncsn-mode-weights-diffusion";
    const string T = MetricNames.TrainingReconstruction, P0 = GateDefinition.P0, PS = GateDefinition.PSigma;

    /// <summary>Every claim, judged on <paramref name="results"/> (keyed by experiment name).</summary>
    public static IReadOnlyList<Claim> Judge(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        var claims = new List<Claim>
        {
            Plateau(1, results, OneD, "1D: the loss settles into a plateau around ~0.4 (Fig. 1).", 0.4, 0.4),
            Plateau(2, results, Blobs, "2D blobs: the loss drops fast and stabilises around 0.30 after about 500 steps (Fig. 3).", 0.30, 0.30),
            Plateau(3, results, Line, "Blob + line: the loss stabilises around 0.33–0.35 (Fig. 5).", 0.33, 0.35),
            Stochastic(results),
            Matches(5, results, OneD, "forward-backward", "1D: the recovered p₀′ closely matches the original mixture (Fig. 2)."),
            Variance(results),
            Generation(results),
            Weights(results),
            Harder(results),
            Steps(results),
            NoInflation(results),
            WeightsFromNoise(results),
        };
        return claims;
    }

    static string Link(string experiment, string anchor = "") => $"[{experiment}]({experiment}/README.md{anchor})";

    static Claim Missing(int number, string text, string experiment) =>
        new(number, text, $"no results for {experiment}", "not assessed", "run `make reproduce`");

    /// <summary>A loss value read off a figure is good to about ±0.02: every claimed value or range is widened by it.</summary>
    const double Reading = 0.02;

    /// <summary>"holds" / "does not hold" / "holds in k of n seeds only" from a per-seed count.</summary>
    static string Count(int inside, int n, string holds = "holds", string fails = "does not hold") =>
        inside == n ? holds : inside == 0 ? fails : $"{holds} in {inside} of {n} seeds only";

    static Claim Plateau(int number, IReadOnlyDictionary<string, ExperimentResults> results, string experiment, string text, double low, double high)
    {
        if (!results.TryGetValue(experiment, out var r)) return Missing(number, text, experiment);
        var loss = r.Estimate(T, PS, TrainingLossMetric.Final.Name);
        var floor = r.Estimate(T, PS, TrainingLossMetric.Floor.Name);
        var excess = r.Estimate(T, PS, MetricNames.LossExcess);
        var finals = r.Values(T, PS, TrainingLossMetric.Final.Name).Where(double.IsFinite).ToArray();
        var settled = Estimate.Of(r.Definition.Seeds.Select(s => SettlingStep(r.Files(s))));
        double lo = low - Reading, hi = high + Reading;
        int inside = finals.Count(v => v >= lo && v <= hi);
        string claimed = low == high ? $"value {low:F2}" : $"range {low:F2}–{high:F2}";
        string rule = $"Rule: holds when every seed's final loss lies in [{lo:F2}, {hi:F2}], the claimed {claimed} ± {Reading} (the precision of reading a loss off a figure); {inside} of {finals.Length} seeds do.";
        double gap = floor.Mean < lo ? lo - floor.Mean : floor.Mean > hi ? floor.Mean - hi : 0;
        string why = inside == finals.Length ? ""
            : $" The final loss is this target's floor d/σ² − J(p_σ) = {floor.Format("F3")} plus an excess of {excess.Format("F4")}: the floor sets the plateau"
              + (gap > 0 ? $", and it lies {gap:F3} outside the band, so no amount of training reaches the claimed {claimed} on this target." : ".");
        return new Claim(number, text, $"final loss {loss.Format("F3")}; floor {floor.Format("F3")}; the 50-step mean first comes within 0.01 of the final loss at step {settled.Format("F0")}",
            Count(inside, finals.Length) + "." + why + " " + rule,
            $"{Link(experiment, "#training")} (loss figure; `training/p-sigma/final-loss`, `loss-floor`)");
    }

    /// <summary>First step at which the 50-step mean loss is within 0.01 of the final loss (NaN without a loss file).</summary>
    static double SettlingStep(SeedFiles files)
    {
        if (!files.Has(SeedFiles.Loss)) return double.NaN;
        var loss = files.ReadLoss().Loss.ToArray();
        double final = loss.Skip(Math.Max(0, loss.Length - 200)).Average();
        double sum = 0;
        for (int i = 0; i < loss.Length; i++)
        {
            sum += loss[i];
            if (i >= 50) sum -= loss[i - 50];
            if (i >= 49 && sum / 50 <= final + 0.01) return i + 1;
        }
        return double.NaN;
    }

    /// <summary>The plateau is "the floor" when the excess over it is at most this fraction of the floor.</summary>
    const double FloorShare = 0.05;

    static Claim Stochastic(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "The plateau is due to the stochastic target −ε/σ, not a failure to learn (§4(4)).";
        var parts = new List<string>();
        int inside = 0, seeds = 0;
        var outside = new List<string>();
        foreach (string e in new[] { OneD, Blobs, Line })
        {
            if (!results.TryGetValue(e, out var r)) return Missing(4, text, e);
            var excess = r.Estimate(T, PS, MetricNames.LossExcess);
            var floor = r.Estimate(T, PS, TrainingLossMetric.Floor.Name);
            parts.Add($"{e}: excess {excess.Format("F4")} of floor {floor.Mean:F3}");
            // Per seed: the excess against that seed's own floor.
            var pairs = r.Values(T, PS, MetricNames.LossExcess).Zip(r.Values(T, PS, TrainingLossMetric.Floor.Name))
                .Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
            int ok = pairs.Count(p => Math.Abs(p.First) <= FloorShare * p.Second);
            inside += ok;
            seeds += pairs.Length;
            if (ok < pairs.Length) outside.Add($"{e} {pairs.Length - ok} of {pairs.Length}");
        }
        string verdict = seeds == 0 ? "not assessed (no training results)"
            : inside == seeds ? $"holds: nearly all of the plateau is the irreducible floor d/σ² − J(p_σ); the excess (the Fisher divergence to p_σ) is under {FloorShare:P0} of it in {inside} of {seeds} seeds"
            : inside == 0 ? $"does not hold: the excess over the floor exceeds {FloorShare:P0} of it in every seed, so part of the plateau is a failure to learn"
            : $"holds in {inside} of {seeds} seeds only: the excess over the floor exceeds {FloorShare:P0} of it in {string.Join(", ", outside)} seeds";
        return new Claim(4, text, string.Join("; ", parts),
            $"{verdict}. Rule: a seed's plateau is the floor when its excess |final loss − floor| is at most {FloorShare:P0} of the floor (the excess is the Fisher divergence to p_σ plus the minibatch noise of the final loss).",
            string.Join(", ", new[] { OneD, Blobs, Line }.Select(e => Link(e, "#training"))));
    }

    /// <summary>
    /// Seeds whose reconstruction lies within the learned-output tolerance gates against a law: KS
    /// distance and variance deviation at most the definition's thresholds for the forward–backward gates.
    /// </summary>
    static (int Inside, int Seeds, string Rule) WithinTolerance(ExperimentResults r, string reconstruction, string reference, ExperimentResults? gates = null)
    {
        // A sweep variant carries no gates: it is judged by its base's.
        double ks = (gates ?? r).GateThreshold("forward-backward", MetricNames.KsStatistic, 0.07);
        double variance = (gates ?? r).GateThreshold("forward-backward", MetricNames.VarianceRatioDeviation, 0.15);
        var d = r.Values(reconstruction, reference, MetricNames.KsStatistic);
        var v = r.Values(reconstruction, reference, MetricNames.VarianceRatioDeviation);
        int inside = d.Zip(v).Count(p => p.First <= ks && p.Second <= variance);
        return (inside, d.Count(double.IsFinite), $"KS distance ≤ {ks} and variance within {variance:P0} (the tolerance gates)");
    }

    static Claim Matches(int number, IReadOnlyDictionary<string, ExperimentResults> results, string experiment, string reconstruction, string text)
    {
        if (!results.TryGetValue(experiment, out var r)) return Missing(number, text, experiment);
        var ks0 = r.Estimate(reconstruction, P0, MetricNames.KsStatistic);
        var ksS = r.Estimate(reconstruction, PS, MetricNames.KsStatistic);
        var v0 = r.Estimate(reconstruction, P0, MomentsMetric.VarianceRatio.Format(1));
        var vS = r.Estimate(reconstruction, PS, MomentsMetric.VarianceRatio.Format(1));
        var (in0, n, rule) = WithinTolerance(r, reconstruction, P0);
        var (inS, _, _) = WithinTolerance(r, reconstruction, PS);
        string verdict = in0 == n ? "holds"
            : $"{Count(in0, n, "holds against p₀", "does not hold against p₀")} (variance ratio to p₀ {v0.Format("F2")}); {Count(inS, n, "it holds against p_σ", "it does not hold against p_σ either")}, the law a single-σ score samples";
        return new Claim(number, text,
            $"KS distance to p₀ {ks0.Format("F3")}, variance ratio {v0.Format("F2")}; KS distance to p_σ {ksS.Format("F3")}, variance ratio {vS.Format("F2")}",
            $"{verdict}. Rule: a law is matched in a seed when {rule}; p₀: {in0} of {n} seeds, p_σ: {inS} of {n}. Within tolerance is not equality: differences below the gates' allowance (see the calibration) are not seen.",
            $"{Link(experiment, "#" + reconstruction)} (`{reconstruction}` rows)");
    }

    /// <summary>A cluster mean within this distance of its component's mean counts as the right location (≈ 4 standard errors of a 1000-point cluster of spread 1.6).</summary>
    const double LocationTolerance = 0.25;

    /// <summary>A variance within this fraction of another counts as equal to it (seed means over a run).</summary>
    const double VarianceTolerance = 0.05;

    /// <summary>
    /// Sampling tolerance of a variance ratio estimated from n points: 3 standard errors √(2/n) of a
    /// Gaussian sample variance. A ratio within it of 1 is not told apart from 1 at that n.
    /// </summary>
    static double SpreadTolerance(int n) => 3 * Math.Sqrt(2.0 / Math.Max(1, n));

    static Claim Variance(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "2D blobs: both cluster locations and the overall geometry are recovered; the samples show \"slightly enlarged variance\", attributed to stochastic Langevin updates (Fig. 4).";
        if (!results.TryGetValue(Blobs, out var r)) return Missing(6, text, Blobs);
        const string rec = "forward-backward";
        double sigma = r.Definition.TrainingSigma;
        var learned = r.Shapes(rec);
        var exact = r.Shapes("forward-backward-exact");
        if (learned.Count == 0) return new Claim(6, text, "no stored samples", "not assessed", Link(Blobs, "#forward-backward"));
        // Per-cluster location and x₂ (within-blob) variance, against the component's p₀ variance.
        double WorstLocation(IReadOnlyList<ComponentShape> shapes) => shapes.Max(c => c.LocationError);
        double[] Ratio0(IReadOnlyList<ComponentShape> shapes) => shapes.Select(c => c.Covariance[3] / (c.ExactCovariance[3] - sigma * sigma)).ToArray();
        double[] RatioS(IReadOnlyList<ComponentShape> shapes) => shapes.Select(c => c.Covariance[3] / c.ExactCovariance[3]).ToArray();
        int n = learned.Count;
        var location = Estimate.Of(learned.Select(s => WorstLocation(s.Shapes)));
        int located = learned.Count(s => WorstLocation(s.Shapes) <= LocationTolerance);
        var r0 = Estimate.Of(learned.SelectMany(s => Ratio0(s.Shapes)));
        var rS = Estimate.Of(learned.SelectMany(s => RatioS(s.Shapes)));
        var rEx = Estimate.Of(exact.SelectMany(s => Ratio0(s.Shapes)));
        // Per cluster of n_k points, a ratio within 3√(2/n_k) of 1 is not told apart from 1.
        bool Enlarged(IReadOnlyList<ComponentShape> shapes) => shapes.Zip(Ratio0(shapes)).All(p => p.Second > 1 + SpreadTolerance(p.First.Count));
        bool AsPSigma(IReadOnlyList<ComponentShape> shapes) => shapes.Zip(RatioS(shapes)).All(p => Math.Abs(p.Second - 1) <= SpreadTolerance(p.First.Count));
        int enlarged = learned.Count(s => Enlarged(s.Shapes));
        int asPSigma = learned.Count(s => AsPSigma(s.Shapes));
        int exactAsPSigma = exact.Count(s => AsPSigma(s.Shapes));
        int clusterSize = learned[0].Shapes.Min(c => c.Count);

        var verdicts = new List<string>
        {
            $"locations: {Count(located, n, "hold", "do not hold")} (rule: every cluster's mean within {LocationTolerance} of its component's mean; largest error per seed {location.Format("F3")}, {located} of {n} seeds)",
        };
        string spread = enlarged == n && asPSigma == n && exactAsPSigma == exact.Count
            ? $"\"slightly enlarged variance\": does not hold as stated: each cluster's x₂ variance is {r0.Format("F2")} times p₀'s, not told apart from p_σ's (1 + σ² = {1 + sigma * sigma:F2}) in {asPSigma} of {n} seeds, and the exact score gives the same ({rEx.Format("F2")}), so the single-σ score (Langevin samples p_σ) enlarges it, not Langevin noise (rule: a cluster's ratio within 3√(2/n_k) of 1, {SpreadTolerance(clusterSize):F3} at its {clusterSize} points, is not told apart from 1)"
            : enlarged == 0
                ? $"\"slightly enlarged variance\": does not hold: the clusters' x₂ variance is {r0.Format("F2")} times p₀'s"
                : $"\"slightly enlarged variance\": enlarged beyond sampling noise (3√(2/n_k)) in {enlarged} of {n} seeds, not told apart from p_σ's in {asPSigma} of {n} ({r0.Format("F2")} times p₀'s, {rS.Format("F2")} times p_σ's); with the exact score {rEx.Format("F2")} times p₀'s";
        verdicts.Add(spread);

        var trace = r.VarianceRatioTrace(rec);
        if (trace.Count == 0) verdicts.Add("against the step count: not assessed (no variance trace stored)");
        else
        {
            var steps = trace[0].Steps;
            int late = ExperimentResults.StepIndex(steps, 0.75);
            double tolerance = SpreadTolerance(r.Definition.Reconstructions.Single(x => x.Name == rec).Particles);
            int settledSeeds = trace.Count(t => Math.Abs(t.Ratio[1][late] - 1) <= tolerance && Math.Abs(t.Ratio[1][^1] - 1) <= tolerance);
            verdicts.Add($"against the step count, x₂'s variance over p_σ's is {TraceAt(trace, 1, 0)} (the start), {TraceAt(trace, 1, 0.2)}, {TraceAt(trace, 1, 0.5)}, {TraceAt(trace, 1, 1)}: "
                + (settledSeeds == trace.Count ? $"it grows towards p_σ's and settles there (within 3√(2/n) = {tolerance:F3} of 1 at steps {steps[late]:F0} and {steps[^1]:F0} in {settledSeeds} of {trace.Count} seeds), so more steps do not shrink it"
                    : $"it is not within 3√(2/n) = {tolerance:F3} of p_σ's at steps {steps[late]:F0} and {steps[^1]:F0} in {trace.Count - settledSeeds} of {trace.Count} seeds"));
        }
        var rejection = r.Values("forward-backward-exact", PS, MetricNames.MhRejection);
        double mhGate = r.GateThreshold("forward-backward-exact", MetricNames.MhRejection, 2e-4);
        int small = rejection.Count(v => v <= mhGate);
        verdicts.Add(small == rejection.Length
            ? $"the step's own bias is below the sampler gate in every seed (MH rejection {Estimate.Of(rejection).Format("G2")} ≤ {mhGate})"
            : $"the step's own bias exceeds the sampler gate (MH rejection > {mhGate}) in {rejection.Length - small} of {rejection.Length} seeds");

        return new Claim(6, text,
            $"per cluster: largest mean error {location.Format("F3")}; x₂ variance vs p₀ {r0.Format("F2")}, vs p_σ {rS.Format("F2")}; with the exact score vs p₀ {rEx.Format("F2")} (1 + σ² = {1 + sigma * sigma:F2})",
            string.Join(". ", verdicts) + ".",
            $"{Link(Blobs, "#forward-backward")}, {Link(Blobs, "#forward-backward-exact")}, {Link(Blobs, "#spread-against-the-step-count")}");
    }

    /// <summary>"0.75 ± 0.05 at step 200": coordinate k's variance ratio at a fraction of the run, over seeds.</summary>
    static string TraceAt(IReadOnlyList<(long Seed, double[] Steps, double[][] Ratio)> trace, int k, double fraction)
    {
        var steps = trace[0].Steps;
        int i = ExperimentResults.StepIndex(steps, fraction);
        return $"{Estimate.Of(trace.Select(t => t.Ratio[k][i])).Format("F2")} at step {steps[i]:F0}";
    }

    static Claim Steps(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "Model capacity, σ and the number of Langevin steps strongly influence fidelity (§4(4)).";
        const string sweep = "σ and capacity need a sweep (\"sweep\": { \"sigma\": [...], \"hidden\": [...] } in the definition).";
        if (!results.TryGetValue(Blobs, out var r) || r.VarianceRatioTrace("forward-backward") is not { Count: > 0 } trace)
            return new Claim(10, text, "no results", "not assessed", sweep);
        var parts = new List<string>();
        var verdicts = new List<string>();

        // Steps: the first traced step from which the seed-mean ratio stays within 5% of p_σ's.
        var steps = trace[0].Steps;
        var mean = steps.Select((_, i) => trace.Average(t => t.Ratio[1][i])).ToArray();
        int settled = mean.Length;
        while (settled > 0 && Math.Abs(mean[settled - 1] - 1) <= 0.05) settled--;
        parts.Add($"steps (learned score): x₂'s variance over p_σ's {TraceAt(trace, 1, 0.1)}, {TraceAt(trace, 1, 0.2)}, {TraceAt(trace, 1, 0.5)}, {TraceAt(trace, 1, 1)}");
        verdicts.Add(settled == mean.Length
            ? "steps: holds: the spread is still away from p_σ's at the last step"
            : $"steps: holds only until the sampler has relaxed: x₂'s spread comes within 5% of p_σ's at step {steps[settled]:F0} of {steps[^1]:F0} and stays there");

        // σ: fidelity to p₀ (forward–backward variance deviation) along the σ sweep, base included.
        var bySigma = r.Sweep.Where(v => v.Variant.Parameter == "sigma").Select(v => (Value: v.Variant.Value, v.Results))
            .Append((Value: r.Definition.TrainingSigma, Results: r)).OrderBy(v => v.Value).ToArray();
        if (bySigma.Length > 1)
        {
            var deviation = bySigma.Select(v => (v.Value, E: v.Results.Estimate("forward-backward", P0, MetricNames.VarianceRatioDeviation))).ToArray();
            parts.Add("σ: forward–backward variance deviation vs p₀ " + string.Join(", ", deviation.Select(x => $"{x.E.Format("F2")} at σ = {x.Value}")));
            bool rising = deviation.Zip(deviation.Skip(1)).All(p => p.Second.E.Min > p.First.E.Max);
            verdicts.Add(rising
                ? "σ: holds: fidelity to p₀ falls as σ grows, in every seed (the sampler targets p_σ, whose variance is p₀'s + σ²)"
                : $"σ: inconclusive at {r.Definition.Seeds.Count} seeds: the variance deviations of neighbouring σ overlap across seeds");
        }
        else verdicts.Add(r.SweepMissing.Any(m => m.Variant.Parameter == "sigma") ? "σ: not assessed (the σ sweep variants were not run)" : "σ: not assessed");

        // Capacity: the score error along the width sweep, base included.
        var byWidth = r.Sweep.Where(v => v.Variant.Parameter == "hidden").Select(v => (Value: v.Variant.Value, v.Results))
            .Concat(r.Definition.Model.Width is { } width ? [(Value: (double)width, Results: r)] : []).OrderBy(v => v.Value).ToArray();
        // The scheduler ablation: the base width trained under another learning-rate rule (only variants with results).
        var bySchedule = r.Sweep.Where(v => v.Variant.Parameter == "scheduler")
            .Select(v => (v.Variant.Text, E: v.Results.Estimate(T, PS, MetricNames.ScoreRelativeL2))).Where(v => v.E.Count > 0).ToArray();
        if (byWidth.Length > 1)
        {
            var error = byWidth.Select(v => (v.Value, E: v.Results.Estimate(T, PS, MetricNames.ScoreRelativeL2),
                Tolerance: WithinTolerance(v.Results, "forward-backward", PS, r))).ToArray();
            parts.Add("width: score error vs ∇log p_σ " + string.Join(", ", error.Select(x => $"{x.E.Format("F3")} at {x.Value}")));
            bool separated = error.Zip(error.Skip(1)).Any(p => p.Second.E.Min > p.First.E.Max || p.Second.E.Max < p.First.E.Min);
            bool allWithin = error.All(x => x.Tolerance.Inside == x.Tolerance.Seeds);
            int seeds = error.Min(x => x.E.Count);
            string capacity = !separated
                ? $"capacity: inconclusive at {seeds} seeds: the score errors of neighbouring widths overlap across seeds"
                : allWithin
                    ? $"capacity: inconclusive for fidelity: the score error changes with width (ranges over seeds disjoint), but every width's forward–backward samples stay within the tolerance gates ({error[0].Tolerance.Rule}), which cannot see differences below their allowance, so neither an effect nor its absence is shown"
                    : "capacity: holds: the score error changes with width and some widths' samples leave the tolerance gates";
            if (bySchedule.Length > 0)
            {
                var seedRule = r.Estimate(T, PS, MetricNames.ScoreRelativeL2);
                double widthEffect = error.Max(x => x.E.Mean) / error.Min(x => x.E.Mean);
                var frozen = Estimate.Of(r.Definition.Seeds.Select(s => FrozenStep(r.Files(s))));
                string rule = SweepDefinition.Label(r.Definition.Training?.Scheduler);
                parts.Add($"learning-rate rule at width {r.Definition.Model.Width}: score error {seedRule.Format("F3")} with {rule} ({(frozen.Count > 0 ? $"rate below 1% of its start from step {frozen.Format("F0")}" : "rate never below 1% of its start")})"
                    + string.Concat(bySchedule.Select(v => $", {v.E.Format("F3")} with {v.Text}")));
                var effects = bySchedule.Select(v => (v.Text, Ratio: Math.Max(v.E.Mean, seedRule.Mean) / Math.Min(v.E.Mean, seedRule.Mean),
                    Disjoint: v.E.Min > seedRule.Max || v.E.Max < seedRule.Min)).ToArray();
                var largest = effects.Where(e => e.Disjoint).OrderByDescending(e => e.Ratio).FirstOrDefault();
                string ablation = largest.Text is null
                    ? $"the scheduler ablation does not change the score error beyond the seed spread ({string.Join(", ", effects.Select(e => $"{e.Text}: {e.Ratio:F2}×, ranges over seeds overlap"))}), so the schedule does not confound the width comparison"
                    : largest.Ratio >= widthEffect
                        ? $"but the learning-rate rule alone changes the score error {largest.Ratio:F1}× ({rule} → {largest.Text}, ranges over seeds disjoint), at least the {widthEffect:F1}× that the whole width range gives: under the seed's scheduler the width comparison measures training that stopped early as much as capacity, so capacity is confounded with the schedule"
                        : $"the learning-rate rule changes the score error {largest.Ratio:F1}× ({rule} → {largest.Text}, ranges over seeds disjoint), less than the {widthEffect:F1}× of the width range, so the width effect is not the scheduler's alone";
                capacity += $" ({ablation}. Rule: an effect counts when the seeds' ranges are disjoint, and the schedule confounds the width when its ratio of mean score errors is at least the width range's)";
            }
            else if (r.SweepMissing.Any(m => m.Variant.Parameter == "scheduler"))
                capacity += " (the scheduler ablation was not run: the width comparison is read under the training's own learning-rate rule alone)";
            verdicts.Add(capacity);
        }
        else verdicts.Add(r.SweepMissing.Any(m => m.Variant.Parameter == "hidden") ? "capacity: not assessed (the width sweep variants were not run)" : "capacity: not assessed");

        return new Claim(10, text, string.Join("; ", parts), string.Join("; ", verdicts),
            $"{Link(Blobs, "#spread-against-the-step-count")}, {Link(Blobs, "#sweep-over-noise-level-and-width")}");
    }

    /// <summary>First step at which the learning rate is below 1% of its initial value (NaN without a loss file or when it never is).</summary>
    static double FrozenStep(SeedFiles files)
    {
        if (!files.Has(SeedFiles.Loss)) return double.NaN;
        var rate = files.ReadLoss().LearningRate.ToArray();
        for (int i = 0; i < rate.Length; i++)
            if (rate[i] < 0.01 * rate[0]) return i + 1;
        return double.NaN;
    }

    /// <summary>
    /// The first component's share at the start and at the end of a reconstruction, per seed, and whether
    /// it moved: by more than 3 binomial standard errors √(s(1 − s)/n) of the end share.
    /// </summary>
    static (string Text, int Moved, int Seeds) BasinSplit(ExperimentResults r, string reconstruction)
    {
        var start = r.Shapes(reconstruction, "start");
        var end = r.Shapes(reconstruction);
        if (start.Count == 0 || end.Count != start.Count) return ("start or end samples not stored", 0, 0);
        var pairs = start.Zip(end, (a, b) => (a.Shapes[0].Share, b.Shapes[0].Share, N: b.Shapes.Sum(c => c.Count))).ToArray();
        int moved = pairs.Count(p => Math.Abs(p.Item2 - p.Item1) > 3 * Math.Sqrt(p.Item2 * (1 - p.Item2) / p.N));
        string text = "first component's share start → end " + string.Join(", ", pairs.Select(p => $"{p.Item1:F3} → {p.Item2:F3}"))
            + $" (true weight {r.Target.Weights[0]:F3})";
        return (text, moved, pairs.Length);
    }

    static string SplitVerdict((string Text, int Moved, int Seeds) split) =>
        split.Seeds == 0 ? "the basin split was not assessed"
        : split.Moved == 0 ? $"generation keeps its start's basin split in every seed (moves of at most 3 binomial standard errors; {split.Text})"
        : $"the basin split moves by more than 3 binomial standard errors in {split.Moved} of {split.Seeds} seeds ({split.Text})";

    static Claim Generation(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "Blob + line: generation from noise captures the geometry, orientation and spread of both components (Figs. 6–7).";
        if (!results.TryGetValue(Line, out var r)) return Missing(7, text, Line);
        const string rec = "generation";
        var modes = r.Estimate(rec, PS, MetricNames.ModeWeightError);
        var ks = r.Estimate(rec, PS, MetricNames.KsStatistic);
        double modeGate = r.GateThreshold("forward-backward", MetricNames.ModeWeightError, 0.065);
        var (inside, n, rule) = WithinTolerance(r, rec, PS);
        int weightsOk = r.Values(rec, PS, MetricNames.ModeWeightError).Count(v => v <= modeGate);
        var failures = new List<string>();
        if (weightsOk < n) failures.Add($"the mode shares are further than {modeGate} from the true weights in {n - weightsOk} of {n} seeds");
        if (inside < n) failures.Add($"the marginals or variances are outside tolerance ({rule}) in {n - inside} of {n} seeds");
        // Geometry of the line component: its principal slope and its width across the line, against the exact component under p_σ.
        var shapes = r.Shapes(rec);
        string geometry = "";
        int line = r.Target.Components.Count - 1;
        if (shapes.Count > 0 && r.Definition.Data.Dimension == 2)
        {
            var exact = shapes[0].Shapes[line].ExactCovariance;
            double slope0 = ComponentShape.PrincipalSlope(exact), width0 = ComponentShape.MinorSd(exact);
            var slope = Estimate.Of(shapes.Select(s => ComponentShape.PrincipalSlope(s.Shapes[line].Covariance)));
            var width = Estimate.Of(shapes.Select(s => ComponentShape.MinorSd(s.Shapes[line].Covariance) / width0));
            int slopeOk = shapes.Count(s => Math.Abs(ComponentShape.PrincipalSlope(s.Shapes[line].Covariance) - slope0) <= 0.05);
            int widthOk = shapes.Count(s => Math.Abs(ComponentShape.MinorSd(s.Shapes[line].Covariance) / width0 - 1) <= 0.15);
            geometry = $"; the line's principal slope {slope.Format("F3")} (p_σ's {slope0:F3}), width across it {width.Format("F2")} × p_σ's";
            if (slopeOk < shapes.Count) failures.Add($"the line's slope is more than 0.05 from p_σ's in {shapes.Count - slopeOk} of {shapes.Count} seeds");
            if (widthOk < shapes.Count) failures.Add($"the line's width is more than 15% from p_σ's in {shapes.Count - widthOk} of {shapes.Count} seeds");
        }
        var trace = r.VarianceRatioTrace(rec);
        string spread = "";
        if (trace.Count > 0)
        {
            var last = Enumerable.Range(0, r.Definition.Data.Dimension)
                .Select(k => (k, Estimate.Of(trace.Select(t => t.Ratio[k][^1])))).ToArray();
            spread = "; variance over p_σ's at the last step " + string.Join(", ", last.Select(l => $"x{l.k + 1} {l.Item2.Format("F2")}"));
            double tolerance = SpreadTolerance(r.Definition.Reconstructions.Single(x => x.Name == rec).Particles);
            int unrelaxed = trace.Count(t => Enumerable.Range(0, t.Ratio.Length).Any(k => Math.Abs(t.Ratio[k][^1] - 1) > tolerance));
            if (unrelaxed > 0)
                failures.Add($"the chain from the broad start has not relaxed by its last step in {unrelaxed} of {trace.Count} seeds (a variance ratio to p_σ further than 3√(2/n) = {tolerance:F3} from 1)");
        }
        var split = BasinSplit(r, rec);
        // The exact-score control from the same start: tells the sampler's non-relaxation from the network's extrapolation.
        string control = "";
        if (r.Definition.Reconstructions.Any(x => x.Name == "generation-exact") && r.VarianceRatioTrace("generation-exact") is { Count: > 0 } exactTrace)
        {
            double tol = SpreadTolerance(r.Definition.Reconstructions.Single(x => x.Name == rec).Particles);
            int exactUnrelaxed = exactTrace.Count(t => Enumerable.Range(0, t.Ratio.Length).Any(k => Math.Abs(t.Ratio[k][^1] - 1) > tol));
            int learnedUnrelaxed = trace.Count(t => Enumerable.Range(0, t.Ratio.Length).Any(k => Math.Abs(t.Ratio[k][^1] - 1) > tol));
            control = $"; with the exact score from the same start the chain has not relaxed in {exactUnrelaxed} of {exactTrace.Count} seeds ("
                + (exactUnrelaxed > 0 && learnedUnrelaxed > 0 ? "so the sampler, not the network, leaves it unrelaxed"
                    : learnedUnrelaxed > 0 ? "so the learned score, not the sampler, keeps it from relaxing"
                    : "neither chain is left unrelaxed")
                + "); exact-score " + SplitVerdict(BasinSplit(r, "generation-exact"));
        }
        return new Claim(7, text, $"vs p_σ: mode-weight error {modes.Format("F3")}, KS distance {ks.Format("F3")}{geometry}{spread}",
            (failures.Count == 0 ? "holds against p_σ (not against p₀: a single-σ score samples p_σ)" : "does not hold: " + string.Join("; ", failures))
                + "; " + SplitVerdict(split) + control + ".",
            $"{Link(Line, "#generation")}, {Link(Line, "#mode-weights")}, {Link(Line, "#spread-against-the-step-count")}");
    }

    static Claim Weights(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "The reconstructed distribution recovers relative density (mode weights) (§4(3)).";
        var parts = new List<string>();
        int fbOk = 0, genOk = 0, seeds = 0;
        var splits = new List<string>();
        double gate = 0;
        foreach (string e in new[] { Blobs, Line })
        {
            if (!results.TryGetValue(e, out var r)) return Missing(8, text, e);
            gate = r.GateThreshold("forward-backward", MetricNames.ModeWeightError, 0.065);
            parts.Add($"{e}: forward-backward error {r.Estimate("forward-backward", PS, MetricNames.ModeWeightError).Format("F3")}, generation error {r.Estimate("generation", PS, MetricNames.ModeWeightError).Format("F3")}");
            fbOk += r.Values("forward-backward", PS, MetricNames.ModeWeightError).Count(v => v <= gate);
            genOk += r.Values("generation", PS, MetricNames.ModeWeightError).Count(v => v <= gate);
            seeds += r.Definition.Seeds.Count;
            splits.Add($"{e}: " + SplitVerdict(BasinSplit(r, "generation")));
        }
        string verdict = fbOk == seeds && genOk == seeds ? "holds"
            : fbOk == seeds ? $"holds only for forward–backward, which starts from the data's own mode split; generation is outside the tolerance in {seeds - genOk} of {seeds} seeds"
            : $"does not hold: forward–backward is outside the tolerance in {seeds - fbOk} of {seeds} seeds, generation in {seeds - genOk}";
        return new Claim(8, text, string.Join("; ", parts),
            $"{verdict}. Rule: every mode share within {gate} of its true weight (the learned tolerance gate). {string.Join("; ", splits)} (plain Langevin moves mass between basins only slowly; see the ncsn-mode-weights control).",
            $"{Link(Blobs, "#mode-weights")}, {Link(Line, "#mode-weights")}, {Link("ncsn-mode-weights")}");
    }

    static Claim Harder(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "Non-isotropic, non-Gaussian structure (the line) is harder to recover than Gaussian modes (§4(4)).";
        if (!results.TryGetValue(Blobs, out var b)) return Missing(9, text, Blobs);
        if (!results.TryGetValue(Line, out var l)) return Missing(9, text, Line);
        var eb = b.Estimate(T, PS, MetricNames.ScoreRelativeL2);
        var el = l.Estimate(T, PS, MetricNames.ScoreRelativeL2);
        bool holds = el.Mean - el.HalfWidth > eb.Mean + eb.HalfWidth;
        return new Claim(9, text, $"relative L2 score error on p_σ: two blobs {eb.Format("F3")}, blob + line {el.Format("F3")}",
            (holds ? $"holds for the score: the 95% intervals over {el.Count} seeds do not overlap" : $"inconclusive at {el.Count} seeds: the score errors' 95% intervals overlap")
                + $". Rule: a difference is claimed only when the Student-t intervals over seeds are disjoint; {el.Count} seeds give wide intervals (t₀.₉₇₅ = {TQuantile(el.Count):F1}), at least 10 are needed for a difference of the size of the seed spread",
            $"{Link(Blobs, "#training")}, {Link(Line, "#training")}");
    }

    /// <summary>
    /// Row 11: a noise-conditional score trained over the VE schedule and integrated back to p₀ (reverse SDE,
    /// probability-flow ODE, and predictor–corrector where the definition has it) has the within-blob variance of p₀, where single-σ DSM sampled by Langevin has
    /// p_σ's, 1 + σ² times p₀'s. Rule: every cluster's x₂ variance within 3√(2/n_k) of p₀'s in every seed.
    /// </summary>
    static Claim NoInflation(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "Follow-up (the seed's forward process x_t = x₀ + σ_t ε, §A.2): one network trained over every noise level and integrated back to p₀ removes the 1 + σ² variance inflation of single-σ DSM.";
        if (!results.TryGetValue(BlobsDiffusion, out var r)) return Missing(11, text, BlobsDiffusion);
        if (!results.TryGetValue(Blobs, out var single)) return Missing(11, text, Blobs);
        double sigma = single.Definition.TrainingSigma;
        double[] Ratio(IReadOnlyList<ComponentShape> shapes) => shapes.Select(c => c.Covariance[3] / c.ExactCovariance[3]).ToArray();
        bool AsP0(IReadOnlyList<ComponentShape> shapes) => shapes.Zip(Ratio(shapes)).All(p => Math.Abs(p.Second - 1) <= SpreadTolerance(p.First.Count));
        var parts = new List<string>();
        var missed = new List<string>();
        int ok = 0, n = 0, clusterSize = int.MaxValue;
        foreach (string rec in new[] { "reverse-sde", "probability-flow", "predictor-corrector" })
        {
            if (!r.Definition.Reconstructions.Any(x => x.Name == rec))
            {
                if (rec == "predictor-corrector") continue; // optional: older definitions have no predictor–corrector run
                return Missing(11, text, $"{BlobsDiffusion}/{rec}");
            }
            var shapes = r.Shapes(rec);
            if (shapes.Count == 0) return new Claim(11, text, "no stored samples", "not assessed", Link(BlobsDiffusion));
            parts.Add($"{rec}: x₂ variance vs p₀ {Estimate.Of(shapes.SelectMany(s => Ratio(s.Shapes))).Format("F2")}");
            ok += shapes.Count(s => AsP0(s.Shapes));
            n += shapes.Count;
            missed.AddRange(shapes.Where(s => !AsP0(s.Shapes)).Select(s => $"{rec} seed {s.Seed}"));
            clusterSize = Math.Min(clusterSize, shapes.Min(s => s.Shapes.Min(c => c.Count)));
        }
        // The single-σ score, for contrast: its forward–backward samples against p₀ (p_σ's ratio to p₀ is 1 + σ² per cluster).
        var singleShapes = single.Shapes("forward-backward");
        double singleSigma2 = sigma * sigma;
        var singleRatio = Estimate.Of(singleShapes.SelectMany(s => s.Shapes.Select(c => c.Covariance[3] / (c.ExactCovariance[3] - singleSigma2))));
        parts.Add($"single-σ DSM with Langevin ({Blobs}, σ = {sigma}): {singleRatio.Format("F2")} (1 + σ² = {1 + singleSigma2:F2})");
        string verdict = ok == n ? $"holds: the within-blob variance matches p₀'s in {ok} of {n} seed × sampler runs"
            : ok == 0 ? $"does not hold: a cluster's variance is told apart from p₀'s in every one of the {n} seed × sampler runs"
            : $"holds in {ok} of {n} seed × sampler runs only: a cluster's variance is told apart from p₀'s in {string.Join(", ", missed)}";
        return new Claim(11, text, string.Join("; ", parts),
            $"{verdict}. Rule: every cluster's x₂ variance within 3√(2/n_k) of p₀'s ({SpreadTolerance(clusterSize):F3} at its {clusterSize} points), i.e. not told apart from p₀ by the sample.",
            $"{Link(BlobsDiffusion, "#reverse-sde")}, {Link(BlobsDiffusion, "#probability-flow")}, {Link(BlobsDiffusion, "#predictor-corrector")}, {Link(Blobs, "#forward-backward")}");
    }

    /// <summary>
    /// Row 12: the ncsn control's mode weights, which plain Langevin cannot move (0.5 instead of 0.8), are recovered
    /// from noise by a learned noise-conditional score with the reverse SDE, the probability-flow ODE, predictor–corrector
    /// (where the definition has it) and annealed Langevin. Rule: every seed's mode-weight error within the experiment's tolerance gate.
    /// </summary>
    static Claim WeightsFromNoise(IReadOnlyDictionary<string, ExperimentResults> results)
    {
        const string text = "Follow-up (Song & Ermon 2019, Fig. 3): a score trained over every noise level recovers the mode weights from noise that plain Langevin cannot move.";
        if (!results.TryGetValue(ControlDiffusion, out var r)) return Missing(12, text, ControlDiffusion);
        if (!results.TryGetValue(Control, out var control)) return Missing(12, text, Control);
        var parts = new List<string>();
        var missed = new List<string>();
        int ok = 0, n = 0;
        double gate = double.NaN;
        foreach (var (rec, reference) in new[] { ("reverse-sde", P0), ("probability-flow", P0), ("predictor-corrector", P0), ("annealed-langevin", PS) })
        {
            if (!r.Definition.Reconstructions.Any(x => x.Name == rec))
            {
                if (rec == "predictor-corrector") continue; // optional: older definitions have no predictor–corrector run
                return Missing(12, text, $"{ControlDiffusion}/{rec}");
            }
            gate = r.GateThreshold(rec, MetricNames.ModeWeightError, 0.065);
            var errors = r.Values(rec, reference, MetricNames.ModeWeightError);
            parts.Add($"{rec}: weight at (5, 5) {r.Estimate(rec, reference, "mode-weight-1").Format("F3")}");
            int inside = errors.Count(e => e <= gate);
            ok += inside;
            n += errors.Length;
            if (inside < errors.Length) missed.Add($"{rec} in {errors.Length - inside} of {errors.Length} seeds");
        }
        parts.Add($"plain Langevin ({Control}): {control.Estimate("plain-langevin", P0, "mode-weight-1").Format("F3")}");
        string verdict = ok == n ? $"holds: every sampler recovers the weights of p₀ (0.8, 0.2) within {gate} in every seed"
            : ok == 0 ? "does not hold: no sampler recovers the weights within the tolerance"
            : $"holds in part: outside the tolerance for {string.Join(", ", missed)}";
        return new Claim(12, text, string.Join("; ", parts),
            $"{verdict}. Rule: every seed's mode-weight error (mean responsibility against the true weight) within the experiment's tolerance gate ({gate}).",
            $"{Link(ControlDiffusion)}, {Link(Control, "#plain-langevin")}");
    }

    /// <summary>Student-t 97.5% quantile with n − 1 degrees of freedom.</summary>
    static double TQuantile(int n) => n < 2 ? double.NaN : MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.975);


}
