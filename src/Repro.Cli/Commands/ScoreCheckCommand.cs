using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Repro.Core;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Evaluation;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;
using Repro.Reporting;
using Repro.Reporting.Model;
using Repro.Results;
using Repro.Runs;
using Repro.Training;
using ValidationResult = Spectre.Console.ValidationResult;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro score-check MODEL --against EXPERIMENT [--sigma S[,S…]]</c>: a user's score network
/// (TorchScript, or a PyTorch state dict of Repro's MLP with <c>--architecture mlp</c>) against the
/// experiment's exact ∇log p_σ and ∇log p₀ (<see cref="ScoreCheck"/>). Exit 0, 1 when a
/// <c>--max-…</c> threshold is missed, 2 for a malformed model or argument.
/// </summary>
public sealed class ScoreCheckCommand(Streams streams) : Command<ScoreCheckCommand.Settings>
{
    /// <summary>Arguments of <c>score-check</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandArgument(0, "<MODEL>")]
        [Description("TorchScript file whose forward is s(x) (one σ) or s(x, sigma) (noise-conditional); x: [[n, d]] float32, sigma: [[n]] float32, returns [[n, d]]. With --architecture: a PyTorch state dict.")]
        public string Model { get; init; } = "";

        /// <summary>The experiment whose truth is the reference.</summary>
        [CommandOption("--against <EXPERIMENT>")]
        [Description("Experiment name (looked up in --experiments) or definition file whose exact p₀ and p_σ are the reference.")]
        public string? Against { get; init; }

        /// <summary>σ or a comma-separated σ grid.</summary>
        [CommandOption("--sigma <S>")]
        [Description("Noise level σ > 0 the model was trained at (a single-σ model), or a comma-separated grid 0.1,0.5,1 for a noise-conditional one. Default: the experiment's training σ.")]
        public string? Sigma { get; init; }

        /// <summary>State-dict architecture.</summary>
        [CommandOption("--architecture <NAME>")]
        [Description("Read MODEL as a PyTorch state_dict of this Repro architecture: mlp (the seed's ScoreNet; width and depth from the tensors' shapes).")]
        public string? Architecture { get; init; }

        /// <summary>Points per law.</summary>
        [CommandOption("--points <N>")]
        [Description("Fresh points drawn from p_σ and from p₀ for each σ (default 10000).")]
        public int Points { get; init; } = 10_000;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the evaluation points (default 0).")]
        public long Seed { get; init; }

        /// <summary>Threshold on the relative L2 error against p_σ.</summary>
        [CommandOption("--max-relative-l2 <R>")]
        [Description("Gate: score-relative-l2 against ∇log p_σ must be ≤ R at every σ (exit 1 otherwise).")]
        public double? MaxRelativeL2 { get; init; }

        /// <summary>Threshold on the Fisher divergence against p_σ.</summary>
        [CommandOption("--max-fisher <F>")]
        [Description("Gate: score-fisher-divergence against ∇log p_σ must be ≤ F at every σ (exit 1 otherwise).")]
        public double? MaxFisher { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object with metric rows named as in metrics.csv.")]
        public bool Json { get; init; }

        /// <summary>JUnit output.</summary>
        [CommandOption("--junit <FILE>")]
        [Description("Write JUnit XML, one test case per threshold and σ (needs --max-relative-l2 or --max-fisher).")]
        public string? JUnit { get; init; }

        /// <summary>Markdown page folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Write a Markdown page (README.md) with figures into DIR.")]
        public string? Out { get; init; }

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

        /// <summary>libtorch threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch intra-op threads (default 1).")]
        public int Threads { get; init; } = 1;

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Against is null) return ValidationResult.Error("--against EXPERIMENT is required: the experiment whose exact scores are the reference");
            if (Architecture is not null && Architecture != PyTorchStateDict.Mlp)
                return ValidationResult.Error($"--architecture: must be {PyTorchStateDict.Mlp} (got \"{Architecture}\")");
            if (Points < 2) return ValidationResult.Error($"--points: must be ≥ 2 (got {Points})");
            if (Threads < 1) return ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})");
            if (MaxRelativeL2 is { } r && !(r >= 0 && double.IsFinite(r))) return ValidationResult.Error($"--max-relative-l2: must be ≥ 0 (got {r})");
            if (MaxFisher is { } f && !(f >= 0 && double.IsFinite(f))) return ValidationResult.Error($"--max-fisher: must be ≥ 0 (got {f})");
            if (JUnit is not null && MaxRelativeL2 is null && MaxFisher is null)
                return ValidationResult.Error("--junit needs a threshold to judge: give --max-relative-l2 R and/or --max-fisher F");
            if (Sigma is not null && ParseSigmas(Sigma) is null)
                return ValidationResult.Error($"--sigma: must be a number > 0 or a comma-separated list of them (got \"{Sigma}\")");
            return ValidationResult.Success();
        }

        /// <summary>The σ list, or null when malformed.</summary>
        internal static double[]? ParseSigmas(string text)
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && double.IsFinite(values[i])))
                    return null;
            return values;
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var definition = new ExperimentSettings { Experiments = [s.Against!], ExperimentsDirectory = s.ExperimentsDirectory }.Resolve()[0];
        var target = definition.Data.BuildTarget();
        double[] sigmas = s.Sigma is null
            ? definition.TrainingSigma > 0 ? [definition.TrainingSigma]
              : throw new InputException($"{definition.SourceFile}: experiment {definition.Name} trains no network, so it has no default σ: give --sigma")
            : Settings.ParseSigmas(s.Sigma)!;

        TorchRuntime.Initialise(s.Threads);
        IScoreSource model;
        IDisposable owned;
        string kind;
        if (s.Architecture is null)
        {
            var script = TorchScriptScore.Load(s.Model, target.Dimension, sigmas[0]);
            (model, owned, kind) = (script, script, $"TorchScript, forward {script.Signature}");
        }
        else
        {
            var net = PyTorchStateDict.LoadScoreNet(s.Model);
            if (net.Dimension != target.Dimension)
            {
                net.Dispose();
                throw new InputException($"{s.Model}: the state dict's network has d = {net.Dimension}; experiment {definition.Name} has d = {target.Dimension}");
            }
            (model, owned, kind) = (new LearnedScore(net, sigmas[0]), net, $"state dict of ScoreNet({net.Dimension}, {net.Hidden}, {net.Layers}), forward s(x)");
        }
        using (owned)
        {
            if (!model.IsNoiseConditional && sigmas.Length > 1)
                throw new InputException($"{s.Model}: a single-σ model (forward s(x)) answers at one σ only; give one --sigma, the σ it was trained at (got {s.Sigma})");

            var rng = new RandomStream((ulong)s.Seed).Child("score-check");
            IReadOnlyList<ScoreCheckLevel> levels;
            try
            {
                levels = ScoreCheck.Run(model, target, sigmas, s.Points, definition.Data.N, rng);
            }
            catch (ArgumentException e)
            {
                // ScoreError refuses non-finite scores (a state dict with NaN weights, say).
                throw new InputException($"{s.Model}: {e.Message.Split(" (Parameter")[0]}");
            }
            var verdicts = Verdicts(definition.Name, s, levels);
            var rows = Rows(levels);

            if (s.Out is { } folder) WritePage(folder, s, definition, kind, model, target, levels, rows, verdicts);
            if (s.JUnit is { } junit) JUnitReport.Write(junit, verdicts);
            if (s.Json) WriteJson(s, definition, kind, model, rows, verdicts);
            else WriteText(s, definition, kind, model, levels, verdicts);
            return verdicts.All(v => v.Passed) ? ReproApp.Ok : ReproApp.GateFailed;
        }
    }

    /// <summary>One row per (reference, σ, metric), named as in metrics.csv, plus the distance bins.</summary>
    static List<Dictionary<string, object?>> Rows(IReadOnlyList<ScoreCheckLevel> levels)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var level in levels)
        {
            foreach (var (reference, e) in new[] { (Evaluator.PSigma, level.AgainstPSigma), (Evaluator.P0, level.AgainstP0) })
            {
                void Add(string metric, double value) => rows.Add(new()
                {
                    ["reference"] = reference, ["sigma"] = level.Sigma, ["metric"] = metric, ["value"] = value, ["points"] = e.Count,
                });
                Add(ScoreErrorMetric.RelativeL2.Name, e.RelativeL2);
                Add(ScoreErrorMetric.RelativeL2Se.Name, e.RelativeL2StandardError);
                Add(ScoreErrorMetric.FisherDivergence.Name, e.FisherDivergence);
                Add(ScoreErrorMetric.FisherDivergenceSe.Name, e.FisherStandardError);
            }
            foreach (var bin in level.Bins)
                rows.Add(new()
                {
                    ["reference"] = Evaluator.PSigma, ["sigma"] = level.Sigma, ["metric"] = "score-relative-l2-by-distance",
                    ["value"] = double.IsNaN(bin.RelativeL2) ? null : bin.RelativeL2, ["points"] = bin.Count,
                    ["distance_lower"] = bin.Lower, ["distance_upper"] = double.IsPositiveInfinity(bin.Upper) ? null : bin.Upper,
                });
        }
        return rows;
    }

    static List<GateVerdict> Verdicts(string experiment, Settings s, IReadOnlyList<ScoreCheckLevel> levels)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var level in levels)
        {
            string at = "score-check-sigma-" + level.Sigma.ToString("R", CultureInfo.InvariantCulture);
            if (s.MaxRelativeL2 is { } r)
                verdicts.Add(Verdict(experiment, s.Seed, new GateDefinition(MetricNames.ScoreRelativeL2, at, Evaluator.PSigma, "<=", r, GateDefinition.EachSeed,
                    $"--max-relative-l2 {r}: relative L2 error against ∇log p_σ on {level.Points} fresh points of p_σ"), level.AgainstPSigma.RelativeL2));
            if (s.MaxFisher is { } f)
                verdicts.Add(Verdict(experiment, s.Seed, new GateDefinition(ScoreErrorMetric.FisherDivergence.Name, at, Evaluator.PSigma, "<=", f, GateDefinition.EachSeed,
                    $"--max-fisher {f}: Fisher divergence against ∇log p_σ on {level.Points} fresh points of p_σ"), level.AgainstPSigma.FisherDivergence));
        }
        return verdicts;
    }

    static GateVerdict Verdict(string experiment, long seed, GateDefinition gate, double value) =>
        new(experiment, gate, seed, value, !double.IsNaN(value) && gate.Passes(value));

    static string F(double v) => double.IsPositiveInfinity(v) ? "∞" : v.ToString("G4", CultureInfo.InvariantCulture);

    string Sizes(Settings s, ExperimentDefinition definition) =>
        $"{s.Points} fresh draws of p_σ per σ and {s.Points} of p₀ (seed {s.Seed}; none from any training set); distances to the nearest of {definition.Data.N} fresh draws of p₀ standing in for the data";

    void WriteText(Settings s, ExperimentDefinition definition, string kind, IScoreSource model, IReadOnlyList<ScoreCheckLevel> levels, List<GateVerdict> verdicts)
    {
        var o = streams.Out;
        o.WriteLine($"{s.Model}: {kind}, against {definition.Name} (d = {model.Dimension})");
        o.WriteLine($"points: {Sizes(s, definition)}");
        foreach (var level in levels)
        {
            o.WriteLine($"σ = {F(level.Sigma)}");
            o.WriteLine($"  against ∇log p_σ on p_σ: score-relative-l2 {F(level.AgainstPSigma.RelativeL2)} ± {F(level.AgainstPSigma.RelativeL2StandardError)}, score-fisher-divergence {F(level.AgainstPSigma.FisherDivergence)} ± {F(level.AgainstPSigma.FisherStandardError)}");
            o.WriteLine($"  against ∇log p₀ on p₀:  score-relative-l2 {F(level.AgainstP0.RelativeL2)} ± {F(level.AgainstP0.RelativeL2StandardError)}, score-fisher-divergence {F(level.AgainstP0.FisherDivergence)} ± {F(level.AgainstP0.FisherStandardError)}");
            o.WriteLine("  relative L2 against ∇log p_σ by distance from the data:");
            foreach (var bin in level.Bins)
                o.WriteLine($"    [{F(bin.Lower)}, {F(bin.Upper)}): {bin.Count} points, {(bin.Count == 0 ? "-" : F(bin.RelativeL2))}");
        }
        foreach (var v in verdicts) o.WriteLine($"{(v.Passed ? "pass" : "FAIL")} {v.Id}: {v.Message}");
    }

    void WriteJson(Settings s, ExperimentDefinition definition, string kind, IScoreSource model, List<Dictionary<string, object?>> rows, List<GateVerdict> verdicts)
    {
        var json = new Dictionary<string, object?>
        {
            ["model"] = s.Model, ["kind"] = kind, ["noise_conditional"] = model.IsNoiseConditional, ["experiment"] = definition.Name,
            ["dimension"] = model.Dimension, ["seed"] = s.Seed, ["points"] = s.Points, ["data_stand_in"] = definition.Data.N,
            ["rows"] = rows,
            ["verdicts"] = verdicts.Select(v => new Dictionary<string, object?>
            {
                ["id"] = v.Id, ["metric"] = v.Gate.Metric, ["reference"] = v.Gate.Reference, ["value"] = v.Value,
                ["comparator"] = v.Gate.Comparator, ["threshold"] = v.Gate.Threshold, ["passed"] = v.Passed,
            }).ToArray(),
        };
        streams.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }

    void WritePage(string folder, Settings s, ExperimentDefinition definition, string kind, IScoreSource model, Mixture target,
        IReadOnlyList<ScoreCheckLevel> levels, List<Dictionary<string, object?>> rows, List<GateVerdict> verdicts)
    {
        Directory.CreateDirectory(Path.Combine(folder, "figures"));
        var blocks = new List<Block>
        {
            new Heading(1, $"Score check: {Path.GetFileName(s.Model)} against {definition.Name}"),
            new Paragraph($"Model `{s.Model}`: {kind}. Reference: the exact scores of experiment `{definition.Name}` (d = {model.Dimension}). "
                + $"Points: {Sizes(s, definition)}. Regenerate with `repro score-check {s.Model} --against {definition.Name} --sigma {string.Join(",", levels.Select(l => l.Sigma.ToString("R", CultureInfo.InvariantCulture)))} --seed {s.Seed} --points {s.Points}{(s.Architecture is null ? "" : " --architecture " + s.Architecture)}`."),
            new Table(["σ", "reference", ScoreErrorMetric.RelativeL2.Name, "± se", ScoreErrorMetric.FisherDivergence.Name, "± se", "points"],
                levels.SelectMany(l => new[] { (Evaluator.PSigma, l.AgainstPSigma, l.Sigma), (Evaluator.P0, l.AgainstP0, l.Sigma) })
                    .Select(t => (IReadOnlyList<string>)[F(t.Item3), t.Item1 == Evaluator.PSigma ? "∇log p_σ on p_σ" : "∇log p₀ on p₀",
                        F(t.Item2.RelativeL2), F(t.Item2.RelativeL2StandardError), F(t.Item2.FisherDivergence), F(t.Item2.FisherStandardError),
                        t.Item2.Count.ToString(CultureInfo.InvariantCulture)]).ToList(),
                "Relative L2 = √(mean ‖s − ∇log p‖² / mean ‖∇log p‖²); Fisher divergence = mean ‖s − ∇log p‖²; standard errors by the delta method."),
        };
        if (verdicts.Count > 0)
            blocks.Add(new BulletList(verdicts.Select(v => $"{(v.Passed ? "pass" : "FAIL")}: σ = {v.Gate.Reconstruction["score-check-sigma-".Length..]}, {v.Message}").ToList()));
        var data = target.Sample(definition.Data.N, new RandomStream((ulong)s.Seed).Child("score-check").Child("data"));
        foreach (var level in levels)
        {
            string key = level.Sigma.ToString("R", CultureInfo.InvariantCulture);
            blocks.Add(new Heading(2, $"σ = {key}"));
            blocks.Add(new Table(["distance from the data", "points", "score-relative-l2 against ∇log p_σ"],
                level.Bins.Select(b => (IReadOnlyList<string>)[$"[{F(b.Lower)}, {F(b.Upper)})", b.Count.ToString(CultureInfo.InvariantCulture), b.Count == 0 ? "-" : F(b.RelativeL2)]).ToList(),
                "Distance of each point of p_σ to the nearest stand-in data point; bins at 0, ¼, ½, 1 and 2 σ."));
            var (grid, side) = ScoreGrid.Build(data, level.Sigma);
            string field = $"figures/score-field-sigma-{key}.png";
            Plots.ScoreField(Path.Combine(folder, field), grid, ScoreCheck.Evaluate(model, grid, level.Sigma),
                target.Score(grid, Smoothing.Gaussian(level.Sigma)), target.Score(grid, Smoothing.None), side, level.Sigma);
            blocks.Add(new Figure(field, $"model score beside the exact scores at σ = {key}",
                "The model's score s(x, σ) beside the exact ∇log p_σ and ∇log p₀ on a grid over the data, and its error against ∇log p_σ."));
            string scatter = $"figures/score-error-by-distance-sigma-{key}.png";
            int shown = Math.Min(2000, level.Distance.Length);
            Plots.ScoreErrorByDistance(Path.Combine(folder, scatter), level.Distance[..shown], level.Error[..shown],
                $"‖s − ∇log p_σ‖ against distance from the data, σ = {key} (first {shown} points of p_σ)",
                $"distance to the nearest of {level.DataSize} fresh draws of p₀ (stand-in data)");
            blocks.Add(new Figure(scatter, $"score error against distance from the data at σ = {key}",
                "Each dot is one point of p_σ: its distance to the nearest stand-in data point and its score error."));
        }
        AtomicFile.WriteText(Path.Combine(folder, "README.md"), MarkdownWriter.Render(new Page("README.md", blocks)));
        AtomicFile.WriteText(Path.Combine(folder, "score-check.json"), JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
