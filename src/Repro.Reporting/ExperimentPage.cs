using System.Globalization;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Targets;
using Repro.Reporting.Model;
using Repro.Results;

namespace Repro.Reporting;

/// <summary>
/// One experiment's page (<c>reports/NAME/README.md</c>) and its figures: training loss against
/// the floor, the seed report's p₀ | x_T | p₀′ layout per reconstruction, trajectories, the score
/// field against the truth, score error against distance, and mode weights.
/// </summary>
public static class ExperimentPage
{
    /// <summary>Reconstruction-level metrics shown in the page's table, in order: the registry's headline outputs.</summary>
    static IReadOnlyList<string> Shown => MetricCatalog.Default.HeadlineNames;

    /// <summary>Draws the figures and returns the page.</summary>
    public static Page Build(ExperimentResults results) => Build(results, RunSuggestions.Default(results.Layout));

    /// <summary>The page of one experiment, naming <paramref name="suggestRun"/>'s command where sweep variants are absent.</summary>
    public static Page Build(ExperimentResults results, RunSuggestion suggestRun)
    {
        var d = results.Definition;
        string figures = Path.Combine(results.Folder, "figures");
        // Figures come from the first seed that finished; a diverged seed has no samples to draw.
        var finished = results.Runs.Where(r => r.Finished).Select(r => r.Seed).ToArray();
        long seed = finished.Length > 0 ? finished[0] : d.Seeds[0];
        var files = results.Files(seed);
        string seedName = Path.GetFileName(files.Folder);
        var target = results.Target;
        var blocks = new List<Block>
        {
            new Heading(1, d.Name),
            new Paragraph(d.Description),
            new Paragraph($"Reproduces: {d.Reproduces}. Seeds: {string.Join(", ", d.Seeds)} (a replicate is a training seed: new data, initialisation and training noise, with its own sampling streams). Tables give mean ± 95% interval over seeds; each figure's caption says whether it draws every seed or seed {seed} alone. Raw results: [`{seedName}/`]({seedName}/)."),
        };
        foreach (var run in results.Runs.Where(r => !r.Finished))
            blocks.Add(new Paragraph($"**Seed {run.Seed} diverged in {run.DivergedIn ?? "training"} at step {run.DivergedAtStep}**: it has no metrics, so every gate that needs it fails as missing."));
        if (finished.Length == 0)
        {
            blocks.Add(new Heading(2, "Gates"));
            blocks.Add(GateTable(results));
            return new Page(Path.Combine(d.Name, "README.md"), blocks);
        }

        if (d.Training is { } training)
        {
            var losses = finished.Where(s => results.Files(s).Has(SeedFiles.Loss))
                .Select(s => { var (loss, rate) = results.Files(s).ReadLoss(); return (s, loss, rate); }).ToArray();
            var floor = results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.PSigma, TrainingLossMetric.Floor.Name);
            blocks.Add(new Heading(2, "Training"));
            if (losses.Length > 0)
            {
                Plots.Loss(Path.Combine(figures, "loss.png"), losses, floor.Mean, Plots.LossTitle(d.Name, training.Objective), Plots.LossFloorFormula(d.Data, training.Objective));
                blocks.Add(new Figure("figures/loss.png", "training loss",
                    $"Every seed ({string.Join(", ", losses.Select(l => l.s))}). Left: each seed's 50-step mean DSM loss (per dimension, as the trainer averages it), seed {losses[0].s}'s minibatch loss faint behind, and the floor {Plots.LossFloorFormula(d.Data, training.Objective)} (dashed) that a perfect score would reach{(d.Data.OnSubspace ? " (the noise is projected onto the zero-centre-of-mass subspace, so only its f coordinates carry noise)" : "")}; the gap is {(training.Objective is ScheduleDsmObjective ? "the λ-weighted Fisher divergence to p_σ̃, averaged over the levels" : "the Fisher divergence to p_σ")}. Right: each seed's learning rate under {SchedulerText(training.Scheduler)}."));
            }
            blocks.Add(new Model.Table(["quantity", "mean ± 95% interval over seeds"],
            [
                ["final loss (mean of last 200 steps)", results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.PSigma, TrainingLossMetric.Final.Name).Format("F4")],
                [$"loss floor {Plots.LossFloorFormula(d.Data, training.Objective)}", floor.Format("F4")],
                ["excess over floor", results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.PSigma, MetricNames.LossExcess).Format("F4")],
                [$"relative L2 error of s_θ against ∇log p_σ on p_σ (σ = {training.Sigma.ToString(System.Globalization.CultureInfo.InvariantCulture)})", results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.PSigma, MetricNames.ScoreRelativeL2).Format("F3")],
                ["relative L2 error of s_θ against ∇log p₀ on p₀", results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.P0, MetricNames.ScoreRelativeL2).Format("F3")],
                ["training steps per second", Estimate.Of(results.Runs.Select(r => r.Training?.StepsPerSecond ?? double.NaN)).Format("F0")],
            ]));

            int dim = d.Data.Dimension;
            if (!Plots.CanDrawScoreField(dim))
                blocks.Add(Refused("score-field.png", $"a field of arrows in the plane draws a score of dimension 1 or 2, and this data has d = {dim}: a slice or a projection of the field would show arrows that are not the score. The score is judged by the table above and the error-by-distance figure below."));
            else
            {
            var grid = files.ReadScoreGrid(dim);
            int side = dim == 1 ? grid.Grid.Count : (int)Math.Round(Math.Sqrt(grid.Grid.Count));
            Plots.ScoreField(Path.Combine(figures, "score-field.png"), grid.Grid, grid.Learned, grid.ExactSigma, grid.Exact0, side, training.Sigma);
            blocks.Add(new Figure("figures/score-field.png", "score field",
                $"Seed {seed}'s network. " + (dim == 1 ? "The learned score s_θ against x beside the exact ∇log p_σ (what DSM at σ learns) and ∇log p₀ (what the seed report says it learns), with the error |s_θ − ∇log p_σ|." : "The learned score s_θ beside the exact ∇log p_σ (what DSM at σ learns) and ∇log p₀ (what the seed report says it learns), all three arrows on one scale (the 95th percentile of |s| over the three panels spans 0.9 of the spacing between arrows), so lengths compare across panels: near a mode ∇log p₀ is (1 + σ²) times ∇log p_σ. The fourth panel maps the error ‖s_θ − ∇log p_σ‖ in score units (its colour bar).") + " Look for: s_θ follows ∇log p_σ near the data, not ∇log p₀, and errs far from the data where no training point reaches."));
            }
            var err = files.ReadScoreError();
            Plots.ScoreErrorByDistance(Path.Combine(figures, "score-error.png"), err.Distance.ToArray(), err.Error.ToArray(),
                "score error against distance from the training data (points of p_σ)");
            blocks.Add(new Figure("figures/score-error.png", "score error by distance",
                $"Seed {seed}: error of the learned score at fresh points of p_σ against their distance to the nearest training point: the network is trustworthy only where the data reached."));
            ScoreErrorProfileSection(results, figures, blocks);
        }

        blocks.AddRange(LikelihoodSection.Build(results));

        blocks.Add(new Heading(2, "Reconstructions"));
        var reference = files.ReadReferenceP0(d.Data.Dimension);
        foreach (var rec in d.Reconstructions)
        {
            var start = files.ReadStart(rec.Name, d.Data.Dimension);
            var samples = files.ReadSamples(rec.Name, d.Data.Dimension);
            double sigma = rec.Sampler.TargetSigma(d.ScoreSigma(rec.Score));
            // Exact densities for the 1D curves and the 2D contours (a density needs d ≤ 2 to be drawn in the plane).
            Func<Points, double[]>? p0 = null, ps = null;
            if (d.Data.Dimension <= 2 && target.HasDensity(Smoothing.None)) p0 = x => target.LogDensity(x, Smoothing.None);
            if (d.Data.Dimension <= 2 && sigma > 0 && target.HasDensity(Smoothing.Gaussian(sigma))) ps = x => target.LogDensity(x, Smoothing.Gaussian(sigma));
            Plots.Distributions(Path.Combine(figures, $"distributions-{rec.Name}.png"), reference, start, samples,
                $"start: {rec.Start.KindName}", $"{rec.Name}: {rec.Score.Source} score, {rec.Sampler.KindName}", p0, ps, sigma);
            blocks.Add(new Heading(3, rec.Name));
            if (rec.Description.Length > 0) blocks.Add(new Paragraph(rec.Description));
            blocks.Add(new Figure($"figures/distributions-{rec.Name}.png", $"{rec.Name} distributions",
                $"Seed {seed}. The seed report's layout: a fresh exact sample of p₀ | the start | the reconstruction{Projected(d.Data.Dimension)}. {WindowCaption(Plots.DistributionWindows(reference, start, samples))}{DensityCaption(d.Data.Dimension, sigma, p0 is not null, ps is not null)}{Expect(rec, sigma)}"));
            if (d.Data.Particles is { Count: >= 2 } shape)
            {
                // Point clouds: invariant features, which no rotation, translation or relabelling of the points changes.
                Plots.CloudFeaturesFigure(Path.Combine(figures, $"cloud-features-{rec.Name}.png"),
                    [("p₀ (fresh exact sample)", reference), ($"start: {rec.Start.KindName}", start), ($"{rec.Name} ({rec.Score.Source} score)", samples)],
                    shape.Count, shape.Space, rec.Name);
                blocks.Add(new Figure($"figures/cloud-features-{rec.Name}.png", $"{rec.Name} cloud features",
                    $"Seed {seed}. Clouds of {shape}: every pairwise distance ‖x_i − x_j‖ (i < j) of every cloud, and each cloud's radius of gyration √((1/K)Σ‖x_k − c‖²) "
                    + $"about its centre c, for a fresh exact sample of p₀, the start and the reconstruction: density histograms on {Plots.CloudFeatureBins} "
                    + "shared bins, each of area 1. Both features are invariant under rotations, reflections, translations and permutations of the points, "
                    + "so they compare clouds without aligning them. " + (sigma > 0
                        ? $"Look for: the reconstruction targets p_σ at σ = {sigma.ToString("G3", CultureInfo.InvariantCulture)}, whose clouds are wider than p₀'s."
                        : "Look for: the reconstruction against p₀, the law this sampler targets.")));
            }
            if (target.Split is { } split)
            {
                // A data-set ensemble: the generated conformers beside the held-out ones (never trained on) and the training ones.
                Plots.ConformerFeaturesFigure(Path.Combine(figures, $"conformers-{rec.Name}.png"),
                    [("held-out conformers", split.HeldOut), ("training conformers (p₀ sample)", reference), ($"{rec.Name} ({rec.Score.Source} score)", samples)],
                    rec.Name);
                blocks.Add(new Figure($"figures/conformers-{rec.Name}.png", $"{rec.Name} conformer validity",
                    $"Seed {seed}. Conformers of {d.Data.Particles} read as a chain: the spacing of chain neighbours ‖x_(k+1) − x_k‖, every pairwise "
                    + $"distance, and each conformer's radius of gyration, for the {split.HeldOut.Count} held-out conformers, a sample of the training conformers "
                    + $"(p₀) and the reconstruction: density histograms on {Plots.CloudFeatureBins} shared bins, each of area 1. "
                    + "Look for: a valid chain keeps the neighbour spacing of the data (one narrow peak near 3.8 Å for a Cα trace) and the held-out radius of gyration."));
            }
            var sampler = rec.Sampler.CreateSampler();
            double scoreSigma = d.ScoreSigma(rec.Score);
            var levels = Plots.NoiseLevels(step => sampler.MoveAt(step, scoreSigma)?.Sigma, sampler.Steps);
            if (levels.Count > 1 && d.Data.Dimension >= 2 && files.ReadTrajectories(rec.Name, d.Data.Dimension) is { } annealed)
            {
                Plots.TrajectoryLevels(Path.Combine(figures, $"trajectories-{rec.Name}.png"), annealed.Steps.Select(s => (double)s).ToArray(), annealed.States, reference,
                    levels, $"{rec.Name}: {rec.Track} tracked particles");
                blocks.Add(new Figure($"figures/trajectories-{rec.Name}.png", $"{rec.Name} trajectories",
                    $"Seed {seed}, {rec.Track} tracked particles, one panel per noise level of the sampler ({levels.Count} levels{(levels.Count > 10 ? ", 10 of them shown" : "")}; σ and steps in each title), each on its own axes: paths from the level's start (open) to its end (filled){Projected(d.Data.Dimension)}, over a fresh sample of p₀ in grey. Look for: wide moves between basins at the high levels, particles settling in a basin at the last."));
            }
            else if (files.ReadTrajectories(rec.Name, d.Data.Dimension) is { } trajectories)
            {
                Plots.Trajectories(Path.Combine(figures, $"trajectories-{rec.Name}.png"), trajectories.Steps.Select(s => (double)s).ToArray(), trajectories.States, reference,
                    $"{rec.Name}: {rec.Track} tracked particles");
                blocks.Add(new Figure($"figures/trajectories-{rec.Name}.png", $"{rec.Name} trajectories",
                    $"Seed {seed}, {rec.Track} tracked particles. "
                    + (d.Data.Dimension == 1 ? "Positions against the Langevin step (the sampler's step numbers)" : $"Paths from start (open) to end (filled){Projected(d.Data.Dimension)}, over a fresh sample of p₀ in grey")
                    + (Plots.TrajectoryFrame(trajectories.States, reference) is { Apart: true } frame
                        ? $". The paths span {frame.WidthRatio.ToString("F0", CultureInfo.InvariantCulture)} times the window of p₀ and the paths' ends, as a sampler from a wide prior does: left, the whole paths on their own axes with that window dashed; right, the window itself (the p₀ sample and the ends){(d.Data.Dimension == 1 ? ", the paths clipped to it" : ", each path drawn from the last record at which it entered the window (where it arrives) to its end")}, its title giving the fraction of recorded positions outside. Look for: paths that fall from the prior into the data's basins and end in them, in the proportions of p₀."
                        : ". The position axes span the p₀ sample and every start and end point; a path that leaves that window (an annealed sampler's high-noise levels) is clipped, and the title gives the fraction of recorded positions outside. Look for: particles that stay in the basin they started in.")));
            }
            var rows = new List<IReadOnlyList<string>>();
            foreach (string metric in Shown)
            {
                if (results.Values(rec.Name, GateDefinition.P0, metric).All(double.IsNaN)) continue;
                rows.Add([metric,
                    results.Summary(rec.Name, GateDefinition.P0, metric),
                    results.Summary(rec.Name, "null-" + GateDefinition.P0, metric),
                    results.Summary(rec.Name, GateDefinition.PSigma, metric),
                    results.Summary(rec.Name, "null-" + GateDefinition.PSigma, metric)]);
            }
            blocks.Add(new Model.Table(["metric", "vs p₀", "null (fresh p₀)", $"vs p_σ (σ = {sigma.ToString(CultureInfo.InvariantCulture)})", "null (fresh p_σ)"], rows,
                "Mean ± 95% interval over seeds; p-values (`*-pvalue`) per seed in seed order with their minimum, never averaged, and a Monte Carlo p-value at its floor as ≤ 1/(B+1). The null columns are the same metric for a fresh exact sample of the same size: what indistinguishable looks like."));
            var rejection = results.Estimate(rec.Name, GateDefinition.PSigma, MetricNames.MhRejection);
            if (rejection.Count > 0)
                blocks.Add(new Paragraph($"Sampler check: a Metropolis–Hastings correction under the exact law would have rejected {rejection.Format("G3")} of these Langevin moves (mean over moves; over seeds ± 95% interval). The rejection grows as η^1.5: near 0, the step's own bias is negligible beside every other error on this page."));
        }

        VarianceSection(results, figures, blocks);
        StepLadderFigure.Section(results, figures, blocks);
        SweepSection(results, blocks, suggestRun);

        if (d.Data.Components.Count > 1)
        {
            var groups = d.Reconstructions.Select(r => r.Name).ToArray();
            int k = d.Data.Components.Count;
            double[][] PerSeed(string rec) => Enumerable.Range(1, k)
                .Select(c => results.Values(rec, GateDefinition.PSigma, ModeWeightsMetric.Weight.Format(c)).Where(double.IsFinite).ToArray()).ToArray();
            var labels = d.Data.Components.Select(c => c.Label).ToArray();
            // Each reconstruction's weights are computed against the law its sampler targets (its p-sigma rows): name it.
            var laws = d.Reconstructions.ToDictionary(r => r.Name, r => TargetLaw(r.Sampler.TargetSigma(d.ScoreSigma(r.Score))));
            var (title, lawText) = ModeWeightsReference(groups.Select(g => (g, laws[g])).ToArray());
            Plots.ModeWeights(Path.Combine(figures, "mode-weights.png"), groups.Select(g => laws.Values.Distinct().Count() > 1 ? $"{g}\nvs {laws[g]}" : g).ToArray(),
                groups.Select(PerSeed).ToArray(), d.Data.Weights, labels, title);
            blocks.Add(new Heading(2, "Mode weights"));
            blocks.Add(new Figure("figures/mode-weights.png", "mode weights",
                $"Every seed ({string.Join(", ", finished)}): each seed's mean responsibility of each component (dots) {lawText}, their mean over seeds (bar) and the 95% Student-t interval of that mean over the {finished.Length} seeds (black line), against the true weights (dashed). Score-based metrics cannot see mixing proportions; this is the check that does."));
            var rows = new List<IReadOnlyList<string>>();
            foreach (var rec in groups)
                for (int c = 1; c <= k; c++)
                    rows.Add([rec, laws[rec], $"{c}: {labels[c - 1]}", d.Data.Weights[c - 1].ToString("G4", CultureInfo.InvariantCulture),
                        results.Estimate(rec, GateDefinition.PSigma, ModeWeightsMetric.Weight.Format(c)).Format("F3"),
                        results.Estimate(rec, "null-" + GateDefinition.PSigma, ModeWeightsMetric.Weight.Format(c)).Format("F3"),
                        results.Estimate(rec, GateDefinition.PSigma, ModeWeightsMetric.Share.Format(c)).Format("F3"),
                        results.Estimate(rec, "null-" + GateDefinition.PSigma, ModeWeightsMetric.Share.Format(c)).Format("F3")]);
            blocks.Add(new Model.Table(["reconstruction", "computed against", "component", "weight", "mean responsibility", "null (fresh sample of that law)", "arg-max share", "null arg-max share"], rows,
                $"Per-mode weights {lawText}, mean ± 95% interval over seeds. `mode-weight-pvalue` is the Wald χ² test (K − 1 degrees of freedom) of the mean responsibilities against the weights: their expectation under that law is exactly the weight however much the components overlap. The arg-max share (each particle counted for its most responsible component) is shown for reading only: where components overlap its expectation is not the weight, as its null column shows."));
        }

        blocks.Add(new Heading(2, "Gates"));
        blocks.Add(GateTable(results));
        return new Page(Path.Combine(d.Name, "README.md"), blocks);
    }

    /// <summary>What the sweep table shows, per variant: (column, reconstruction, reference, metric).</summary>
    static readonly (string Column, string Reconstruction, string Reference, string Metric)[] SweepColumns =
    [
        ("score error vs ∇log p_σ (rel. L2)", MetricNames.TrainingReconstruction, GateDefinition.PSigma, MetricNames.ScoreRelativeL2),
        ("loss excess over floor", MetricNames.TrainingReconstruction, GateDefinition.PSigma, MetricNames.LossExcess),
        ("forward–backward KS p vs p_σ", "forward-backward", GateDefinition.PSigma, MetricNames.KsPValue),
        ("forward–backward variance deviation vs p₀", "forward-backward", GateDefinition.P0, MetricNames.VarianceRatioDeviation),
        ("forward–backward MMD² vs p₀", "forward-backward", GateDefinition.P0, MetricNames.Mmd2),
    ];

    /// <summary>What a scatter of the first two coordinates is when there are more: a projection, said so in the caption.</summary>
    static string Projected(int dimension) => dimension > 2 ? $", drawn in its first two of {dimension} coordinates (a projection)" : "";

    /// <summary>The page's note for a figure that is not drawn because it cannot show these data, naming it and why.</summary>
    internal static Paragraph Refused(string figure, string reason) => new($"Figure `{figure}` is not drawn: {reason}");

    /// <summary>The sweep's variants beside the base experiment, one row each.</summary>
    static void SweepSection(ExperimentResults results, List<Block> blocks, RunSuggestion suggestRun)
    {
        if (results.Sweep.Count == 0 && results.SweepMissing.Count == 0) return;
        var d = results.Definition;
        var rows = new List<IReadOnlyList<string>>();
        void Row(string label, ExperimentResults r) => rows.Add(
            [label, .. SweepColumns.Select(c => r.Definition.Reconstructions.Any(x => x.Name == c.Reconstruction) || c.Reconstruction == MetricNames.TrainingReconstruction
                ? r.Summary(c.Reconstruction, c.Reference, c.Metric) : "—")]);
        Row($"base: σ = {d.TrainingSigma.ToString(CultureInfo.InvariantCulture)}, hidden = {d.Model.Width}, scheduler = {SweepDefinition.Label(d.Training?.Scheduler)}", results);
        foreach (var (variant, r) in results.Sweep)
            Row($"{variant.Parameter} = {variant.Text}", r);
        blocks.Add(new Heading(2, "Sweep over noise level and width"));
        blocks.Add(new Paragraph("The same experiment with one parameter changed at a time (training σ, the network's hidden width, or the learning-rate rule: `constant` is the ablation of the seed's ReduceLROnPlateau, `plateau-fF-pP-wW` one with factor F, patience P, stepped on the mean of the last W losses), same data and seeds. Variants carry no gates: they answer a question, they do not test the code. Raw results: `sweep/` beside the seed folders."));
        blocks.Add(new Model.Table(["variant", .. SweepColumns.Select(c => c.Column)], rows,
            "Mean ± 95% interval over seeds (the KS p-value per seed with its minimum). σ changes what Langevin samples (p_σ, whose variance is p₀'s + σ²): read fidelity to p₀ in the last two columns; the score error says how well the network learned its own target."));
        if (results.SweepMissing.Count > 0)
        {
            var seeds = results.SweepMissing.SelectMany(m => m.Seeds).Distinct().Order().ToArray();
            string Which((SweepVariant Variant, IReadOnlyList<long> Seeds) m) =>
                $"{m.Variant.Parameter} = {m.Variant.Text} "
                + (m.Seeds.Count == d.Seeds.Count ? "(no seed)" : $"(seed{(m.Seeds.Count == 1 ? "" : "s")} {string.Join(", ", m.Seeds)})");
            blocks.Add(new Paragraph($"Not run: {string.Join("; ", results.SweepMissing.Select(Which))}; the rows above use the seeds that have results. To add them (the base's seeds come from the local cache when it holds them): `{suggestRun(d.Name, seeds)}`"));
        }
    }

    /// <summary>
    /// Each finished seed's e(σ_k) at the levels of <see cref="ScoreErrorProfileMetric.Grid"/> (training / p0 rows
    /// <c>score-error-at-k</c>), in seed order; empty when the experiment has none (no noise-conditional learned score).
    /// </summary>
    internal static IReadOnlyList<Plots.ScoreErrorSeries> ScoreErrorProfileSeries(ExperimentResults results)
    {
        var grid = ScoreErrorProfileMetric.Grid;
        var levels = Enumerable.Range(1, grid.Count)
            .Select(k => results.Values(MetricNames.TrainingReconstruction, GateDefinition.P0, ScoreErrorProfileMetric.AtLevel.Format(k))).ToArray();
        return results.Definition.Seeds.Select((seed, i) => new Plots.ScoreErrorSeries(seed, levels.Select(v => v[i]).ToArray()))
            .Where(s => s.Error.Any(double.IsFinite)).ToArray();
    }

    /// <summary>The caption of <c>score-error-sigma.png</c>, naming the seeds it draws.</summary>
    internal static string ScoreErrorProfileCaption(IReadOnlyList<Plots.ScoreErrorSeries> seeds)
    {
        var grid = ScoreErrorProfileMetric.Grid;
        string Sigma(double s) => s.ToString("G4", CultureInfo.InvariantCulture);
        return $"Every seed ({string.Join(", ", seeds.Select(s => s.Seed))}): the relative score error e(σ) = E‖s_θ(x, σ) − ∇log p_σ(x)‖² / E‖∇log p_σ(x)‖² "
            + $"of the trained network on fresh draws x ~ p_σ = p₀ ∗ N(0, σ²I), at the {grid.Count} levels σ = {string.Join(", ", grid.Select(Sigma))} "
            + $"(`{ScoreErrorProfileMetric.AtLevel.Format(1)}` … `{ScoreErrorProfileMetric.AtLevel.Format(grid.Count)}` in metrics.csv), on log–log axes: "
            + (seeds.Count > 1
                ? $"each seed's curve (coloured), their mean over the {seeds.Count} seeds (black) with its 95% Student-t interval (grey band; where the interval reaches below 0 the band is drawn to the bottom of the axis), "
                : "the one seed's curve (one seed has no interval over seeds), ")
            + "and e = 1 (dashed), the error of the zero score s = 0. Look for: e well below 1 at the levels the samplers take their steps at; at and above 1 the network's score there is no better than none.";
    }

    /// <summary>The time-resolved score error e(σ): a figure over every seed and a table of its summaries.</summary>
    static void ScoreErrorProfileSection(ExperimentResults results, string figures, List<Block> blocks)
    {
        var seeds = ScoreErrorProfileSeries(results);
        if (seeds.Count == 0) return;
        Plots.ScoreErrorProfile(Path.Combine(figures, "score-error-sigma.png"), ScoreErrorProfileMetric.Grid, seeds,
            $"{results.Definition.Name}: score error against the noise level");
        blocks.Add(new Figure("figures/score-error-sigma.png", "score error against sigma", ScoreErrorProfileCaption(seeds)));
        var rows = new ScoreErrorProfileMetric().Outputs.Where(o => !o.IsPattern)
            .Select(o => (IReadOnlyList<string>)[$"`{o.Name}`", o.Description,
                results.Estimate(MetricNames.TrainingReconstruction, GateDefinition.P0, o.Name).Format("G3")]).ToArray();
        blocks.Add(new Model.Table(["metric", "what it is", "mean ± 95% interval over seeds"], rows,
            "Summaries of e(σ) over the grid (training / p0 rows of metrics.csv); the exact score gives 0 for each."));
    }

    /// <summary>Fractions of the run at which the step table samples the variance trace.</summary>    /// <summary>Fractions of the run at which the step table samples the variance trace.</summary>
    static readonly double[] TracePoints = [0, 0.05, 0.1, 0.2, 0.5, 1];

    /// <summary>The reconstructions' variance against the step count: a figure and a table.</summary>
    static void VarianceSection(ExperimentResults results, string figures, List<Block> blocks)
    {
        var d = results.Definition;
        var c0 = results.Target.Covariance(Smoothing.None);
        // One panel per denominator: the variance of the law each sampler targets (p_σ at its σ; p₀ at σ = 0).
        var panels = new List<(double Sigma, List<Plots.VarianceSeries> Lines, List<Plots.VarianceLevel> Levels)>();
        var rows = new List<IReadOnlyList<string>>();
        // One line per coordinate while each can have its own dash pattern; beyond that, their mean.
        bool perCoordinate = d.Data.Dimension <= Plots.CoordinatePatterns.Length;
        foreach (var rec in d.Reconstructions)
        {
            var traces = results.VarianceRatioTrace(rec.Name);
            if (traces.Count == 0) continue;
            var steps = traces[0].Steps;
            double sigma = rec.Sampler.TargetSigma(d.ScoreSigma(rec.Score));
            var cs = results.Target.Covariance(Smoothing.Gaussian(sigma));
            if (panels.FindIndex(p => p.Sigma == sigma) < 0) panels.Add((sigma, [], []));
            var (_, lines, levels) = panels.Single(p => p.Sigma == sigma);
            for (int k = 0; k < d.Data.Dimension; k++)
            {
                int coordinate = k;
                string label = d.Data.Dimension == 1 ? rec.Name : $"{rec.Name}, x{k + 1}";
                if (perCoordinate)
                    lines.Add(new(rec.Name, coordinate, label, steps, steps.Select((_, i) => traces.Average(t => t.Ratio[coordinate][i])).ToArray()));
                var cells = new List<string> { label };
                foreach (double f in TracePoints)
                {
                    int i = ExperimentResults.StepIndex(steps, f);
                    cells.Add($"{Estimate.Of(traces.Select(t => t.Ratio[coordinate][i])).Format("F3")} (step {steps[i]:F0})");
                }
                cells.Add((c0[k * d.Data.Dimension + k] / cs[k * d.Data.Dimension + k]).ToString("F3", CultureInfo.InvariantCulture));
                rows.Add(cells);
            }
            if (!perCoordinate)
                lines.Add(new(rec.Name, -1, $"{rec.Name}, mean over x1…x{d.Data.Dimension}", steps,
                    steps.Select((_, i) => traces.Average(t => t.Ratio.Average(r => r[i]))).ToArray()));
            // p₀'s level, drawn once per panel of a smoothed law.
            if (sigma > 0 && levels.Count == 0)
            {
                var ratios = Enumerable.Range(0, d.Data.Dimension).Select(k => c0[k * d.Data.Dimension + k] / cs[k * d.Data.Dimension + k]).ToArray();
                if (perCoordinate)
                    for (int k = 0; k < d.Data.Dimension; k++)
                        levels.Add(new(k, d.Data.Dimension == 1 ? "p₀" : $"p₀, x{k + 1}", ratios[k]));
                else levels.Add(new(-1, $"p₀, mean over x1…x{d.Data.Dimension}", ratios.Average()));
            }
        }
        if (panels.Count == 0) return;
        int seeds = results.Runs.Count(r => r.Finished);
        Plots.VarianceByStep(Path.Combine(figures, "variance-by-step.png"),
            panels.Select(p => new VariancePanel(Law(p.Sigma), p.Lines, p.Levels)).ToArray(), $"{d.Name}: spread of the particles as Langevin runs (mean over {seeds} seeds)");
        blocks.Add(new Heading(2, "Spread against the step count"));
        blocks.Add(new Figure("figures/variance-by-step.png", "variance by step",
            $"Mean over the {seeds} seeds of each coordinate's particle variance divided by the variance of the law the sampler targets, as the sampler runs: one panel per denominator ({string.Join("; ", panels.Select(p => Law(p.Sigma)))}), named on its axis; a colour per reconstruction, a dash pattern per coordinate (x1 solid, x2 dashed, x3 dotted, x4 densely dashed; beyond four coordinates, their mean). Look for: the ratio settles at 1 (thick black), not at p₀'s level (thin grey, in its coordinate's pattern), and stays there: more steps do not shrink the spread, because a single-σ sampler's stationary law is p_σ."));
        blocks.Add(new Model.Table(["reconstruction", .. TracePoints.Select(f => $"{f:P0} of the run"), "p₀ level"], rows,
            "Variance over the target law's (p_σ at the sampler's σ, or p₀), mean ± 95% interval over seeds, at fractions of the run (raw: `moments-*.csv` in each seed folder)."));
    }

    /// <summary>The training's learning-rate rule in words.</summary>
    internal static string SchedulerText(SchedulerDefinition? s) => s is null ? "a constant rate (no scheduler)"
        : FormattableString.Invariant($"ReduceLROnPlateau (factor {s.Factor}, patience {s.Patience}) stepped on {(s.Window == 1 ? "each minibatch's loss, as the seed does: it keeps halving the rate once the noisy loss flattens" : $"the mean of the last {s.Window} minibatch losses")}");

    /// <summary>The law a variance ratio is taken against, as an axis names it.</summary>
    static string Law(double sigma) => sigma > 0 ? $"p_σ, σ = {sigma.ToString(CultureInfo.InvariantCulture)}" : "p₀";

    /// <summary>What the density lines or contours of the distributions figure are.</summary>
    static string DensityCaption(int dimension, double sigma, bool p0, bool ps)
    {
        string s = sigma.ToString(CultureInfo.InvariantCulture);
        if (dimension == 1)
            return (p0 ? "Black: exact p₀. " : "") + (ps ? $"Green dashed: exact p_σ at σ = {s}. " : "");
        if (dimension != 2 || !p0) return "";
        return "Contours: the 50%, 90% and 99% highest-density regions of the exact p₀ (black, over the p₀ sample"
            + (ps ? $") and of the exact p_σ at σ = {s} (green dashed, over the reconstruction, with p₀'s dotted). " : " and the reconstruction). ");
    }

    /// <summary>Which axes the distributions figure's panels share, and where the start lies when it has its own.</summary>
    internal static string WindowCaption(Plots.DistributionWindow window) => window.StartApart
        ? $"The start spans {window.StartWidthRatio.ToString("F0", CultureInfo.InvariantCulture)} times the window of p₀ and the reconstruction, which lies inside it (dashed): it is drawn on its own axes, and the p₀ and reconstruction panels share a window framing their own points (the central 99.6% of each coordinate). "
        : "The three panels share one window. ";

    /// <summary>
    /// The law a reconstruction's samples are judged against by its "p-sigma" rows: p_σ at the sampler's target σ, which is
    /// p₀ itself for a sampler that targets σ = 0 (the reverse SDE, the probability-flow ODE, Tweedie).
    /// </summary>
    internal static string TargetLaw(double sigma) =>
        sigma == 0 ? "p₀" : $"p_σ at σ = {sigma.ToString("G3", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The mode-weight figure's title and the phrase its caption and table use for the law the weights are computed
    /// against: one law named outright, or, when the reconstructions target different laws, each named per reconstruction.
    /// </summary>
    internal static (string Title, string LawText) ModeWeightsReference(IReadOnlyList<(string Reconstruction, string Law)> laws)
    {
        var distinct = laws.Select(l => l.Law).Distinct().ToArray();
        if (distinct.Length == 1)
            return ($"mean responsibility per component under {distinct[0]}", $"under {distinct[0]}");
        string each = string.Join("; ", distinct.Select(law => $"{law} for {string.Join(", ", laws.Where(l => l.Law == law).Select(l => l.Reconstruction))}"));
        return ("mean responsibility per component\nagainst the law named under each reconstruction",
            $"under the law its reconstruction targets ({each})");
    }

    /// <summary>What to look for in a reconstruction, by the law its sampler targets.</summary>
    static string Expect(ReconstructionDefinition rec, double sigma) =>
        sigma > 0 ? "Look for: a single-σ sampler reproduces p_σ (wider by σ² per dimension), not p₀."
        : "Look for: the reconstruction against p₀, the law this sampler targets.";

    /// <summary>The gate verdicts of one experiment as a table.</summary>
    public static Model.Table GateTable(ExperimentResults results) => new(
        ["gate", "seed", "value", "threshold", "verdict", "why this threshold"],
        results.Verdicts.Select(v => (IReadOnlyList<string>)
        [
            $"{v.Gate.Reconstruction} / {v.Gate.Reference} / {v.Gate.Metric}",
            v.Seed?.ToString(CultureInfo.InvariantCulture) ?? "mean",
            double.IsNaN(v.Value) ? v.ValueText : v.Value.ToString("G4", CultureInfo.InvariantCulture),
            v.Gate.ThresholdText,
            v.Failed ? $"**{v.VerdictText}**" : v.VerdictText,
            v.Judged ? v.Gate.Reason : $"{v.Gate.Reason} (not judged here: {v.NotJudged})",
        ]).ToArray());
}
