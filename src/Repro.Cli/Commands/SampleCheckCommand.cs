using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Core.Metrics;
using Repro.Core.Random;
using Repro.Results;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro sample-check SAMPLES --against EXPERIMENT [--sigma S]</c>: samples from a user's own
/// sampler (CSV, .npy, .npz) through the report's whole sample-metric suite (the same
/// <see cref="Evaluator"/> that judges the harness's reconstructions: KS, sliced KS, MMD, moments,
/// mode weights, KSD) against p₀ and p_σ, each beside its null baseline, with a verdict on the law
/// the samples should follow: by default p_σ at the experiment's training σ, as <c>stats --against</c>,
/// <c>truth</c> and every shipped gate (p₀ for an experiment that trains no network); <c>--sigma S</c>
/// another σ, <c>--sigma 0</c> p₀. The output names the law judged. Exit 1 when the samples differ from it,
/// 2 for bad input.
/// </summary>
public sealed class SampleCheckCommand(Streams streams) : Command<SampleCheckCommand.Settings>
{
    /// <summary>True for the suite's p-values (the registry's <see cref="MetricOutput.IsPValue"/>); the verdict is a Bonferroni test over those present.</summary>
    static bool IsPValue(string metric) => MetricCatalog.Default.Find(metric)?.Output.IsPValue ?? false;

    /// <summary>Arguments of <c>sample-check</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The samples.</summary>
        [CommandArgument(0, "<SAMPLES>")]
        [Description("Samples: " + PointsFile.Formats + ".")]
        public string Samples { get; init; } = "";

        /// <summary>The experiment whose truth is the reference.</summary>
        [CommandOption("--against <EXPERIMENT>")]
        [Description("Experiment name (looked up in --experiments) or definition file whose exact p₀ and p_σ are the reference.")]
        public string? Against { get; init; }

        /// <summary>σ of the law the samples should follow.</summary>
        [CommandOption("--sigma <S>")]
        [Description("Judge against p_σ = p₀ ∗ N(0, σ²I) at this σ (what Langevin on a σ-score targets); 0 for p₀ (default: the experiment's training σ, as stats --against, truth and the gates; p₀ when it trains no network).")]
        public double? Sigma { get; init; }

        /// <summary>Family-wise level.</summary>
        [CommandOption("--alpha <A>")]
        [Description("Family-wise level of the verdict, Bonferroni over the suite's p-values (default 0.01).")]
        public double Alpha { get; init; } = 0.01;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the reference and null samples, permutations, projections and bootstrap (default 0).")]
        public long Seed { get; init; }

        /// <summary>Quick sizes.</summary>
        [CommandOption("--quick")]
        [Description("Use the experiment's quick evaluation sizes (fewer reference points and permutations: a first look, and tests).")]
        public bool Quick { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: metric rows named as in metrics.csv (null-* rows are the null baselines) and the verdict.")]
        public bool Json { get; init; }

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Against is null) return ValidationResult.Error("--against EXPERIMENT is required: the experiment whose exact law is the reference");
            if (Sigma is { } s && !(s >= 0 && double.IsFinite(s))) return ValidationResult.Error($"--sigma: must be ≥ 0 (got {s})");
            if (!(Alpha > 0 && Alpha < 1)) return ValidationResult.Error($"--alpha: must be in (0, 1) (got {Alpha})");
            return ValidationResult.Success();
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var definition = new ExperimentSettings { Experiments = [s.Against!], ExperimentsDirectory = s.ExperimentsDirectory }.Resolve()[0];
        var target = definition.Data.BuildTarget();
        var samples = PointsFile.Read(s.Samples, target.Dimension);
        if (samples.Count < 2) throw new Core.InputException($"{s.Samples}: {samples.Count} point; the tests need at least 2");

        var evaluator = new Evaluator(definition, target, new RandomStream((ulong)s.Seed).Child("sample-check"), s.Quick);
        // One default with stats --against, truth and the gates: p_σ at the training σ; p₀ when nothing is trained.
        double sigma = s.Sigma ?? (definition.TrainingSigma > 0 ? definition.TrainingSigma : 0);
        var rows = evaluator.Sample(s.Seed, "samples", samples, sigma).ToList();
        string judged = sigma > 0 ? Evaluator.PSigma : Evaluator.P0;
        string why = s.Sigma is not null ? "--sigma" : definition.TrainingSigma > 0 ? $"the training σ of {definition.Name}; --sigma 0 for p₀" : $"{definition.Name} trains no network";
        string lawJudged = sigma > 0
            ? FormattableString.Invariant($"p_σ of {definition.Name}, σ = {sigma:G6} ({why})")
            : $"p₀ of {definition.Name} ({why})";
        var verdict = Verdict(rows, judged, s.Alpha);

        if (s.Json)
        {
            var json = new Dictionary<string, object?>
            {
                ["samples"] = s.Samples, ["experiment"] = definition.Name, ["dimension"] = samples.Dimension, ["count"] = samples.Count,
                ["judged_points"] = Math.Min(samples.Count, evaluator.ReferenceSize), ["sigma"] = sigma, ["seed"] = s.Seed,
                ["skipped"] = evaluator.Skipped.Select(k => new Dictionary<string, object?> { ["metric"] = k.Kind, ["reason"] = k.Reason }).ToArray(),
                ["rows"] = rows.Select(r => new Dictionary<string, object?> { ["reference"] = r.Reference, ["metric"] = r.Metric, ["value"] = double.IsFinite(r.Value) ? r.Value : null }).ToArray(),
                ["verdict"] = new Dictionary<string, object?>
                {
                    ["reference"] = judged, ["law"] = lawJudged, ["consistent"] = verdict.Consistent, ["alpha"] = s.Alpha, ["tests"] = verdict.Tests,
                    ["smallest_pvalue"] = !double.IsFinite(verdict.SmallestP) ? null : verdict.SmallestP, ["smallest_metric"] = verdict.SmallestMetric,
                    ["undefined"] = verdict.Undefined, ["text"] = verdict.Text,
                },
            };
            streams.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions
            {
                WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
        }
        else
        {
            var o = streams.Out;
            string judgedPoints = samples.Count <= evaluator.ReferenceSize
                ? $"all {samples.Count} judged"
                : $"the first {evaluator.ReferenceSize} judged (the {(s.Quick ? "quick " : "")}evaluation size of {definition.Name})";
            o.WriteLine($"{s.Samples}: {samples.Count} points (d = {samples.Dimension}); {judgedPoints}, against {evaluator.ReferenceSize} exact draws "
                + $"of each law; the null baseline is the same metric for {evaluator.ReferenceSize} fresh exact draws (seed {s.Seed})");
            o.WriteLine($"judged against {lawJudged}");
            foreach (var (label, title) in new[] { (Evaluator.PSigma, $"p_σ (σ = {sigma.ToString("R", CultureInfo.InvariantCulture)})"), (Evaluator.P0, "p₀") })
            {
                if (label == Evaluator.PSigma && sigma == 0) continue;
                o.WriteLine($"against {title}{(label == judged ? " (the law judged)" : "")}:");
                var nulls = rows.Where(r => r.Reference == Evaluator.NullPrefix + label).ToDictionary(r => r.Metric, r => r.Value);
                foreach (var r in rows.Where(r => r.Reference == label && r.Metric != "sigma"))
                    o.WriteLine($"  {r.Metric,-28} {(double.IsNaN(r.Value) ? "NaN" : F(r.Value)),12}   null baseline {F(nulls.GetValueOrDefault(r.Metric, double.NaN))}");
            }
            foreach (var (kind, reason) in evaluator.Skipped) o.WriteLine($"not computed: {kind}: {reason}");
            o.WriteLine(verdict.Text);
        }
        return verdict.Consistent ? ReproApp.Ok : ReproApp.GateFailed;
    }

    static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Bonferroni over the suite's p-values against <paramref name="reference"/>: consistent when every p ≥ α/m.
    /// A NaN row against <paramref name="reference"/> (a statistic or p-value that overflowed) makes the
    /// verdict undefined: not consistent, exit 1, with the rows named (issue 11: no pass on NaN).</summary>
    static (bool Consistent, int Tests, double SmallestP, string SmallestMetric, string[] Undefined, string Text) Verdict(List<MetricRow> rows, string reference, double alpha)
    {
        var pvalues = rows.Where(r => r.Reference == reference && IsPValue(r.Metric)).ToList();
        int m = pvalues.Count;
        var undefined = rows.Where(r => r.Reference == reference && double.IsNaN(r.Value)).Select(r => r.Metric).ToArray();
        // NaN sorts first under MinBy; the smallest p-value is that of the defined ones.
        var smallest = pvalues.Where(r => !double.IsNaN(r.Value)).MinBy(r => r.Value) ?? pvalues.First();
        double level = alpha / m;
        bool consistent = undefined.Length == 0 && smallest.Value >= level;
        string law = reference == Evaluator.P0 ? "p₀" : "p_σ";
        string text = undefined.Length > 0
            ? $"verdict: undefined against {law}: {string.Join(", ", undefined)} = undefined (NaN) on this sample (an overflow such as ∞ − ∞ on its values), which is no p-value and never consistent (Bonferroni over {string.Join(", ", pvalues.Select(p => p.Metric))})"
            : consistent
            ? $"verdict: consistent with {law}: every p-value ≥ α/m = {F(alpha)}/{m} = {F(level)} (smallest {F(smallest.Value)}, {smallest.Metric}; Bonferroni over {string.Join(", ", pvalues.Select(p => p.Metric))})"
            : $"verdict: differs from {law}: {smallest.Metric} = {F(smallest.Value)} < α/m = {F(alpha)}/{m} = {F(level)} (Bonferroni over {string.Join(", ", pvalues.Select(p => p.Metric))})";
        return (consistent, m, smallest.Value, smallest.Metric, undefined, text);
    }
}
