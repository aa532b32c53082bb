using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Repro.Core;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro stats TEST A.csv B.csv</c> compares two samples; <c>repro stats TEST A.csv --against EXPERIMENT
/// [--sigma S]</c> compares a sample with an experiment's exact p_σ (or p₀). TEST is a registered sample
/// metric (<see cref="MetricCatalog"/>), computed by the same code and under the same row names as the
/// evaluator's <c>metrics.csv</c>, with the experiment's evaluation sizes; users can check their own
/// samplers with the harness's metrics.
/// </summary>
public sealed class StatsCommand(Streams streams) : Command<StatsCommand.Settings>
{
    /// <summary>Older TEST names kept working: <c>modes</c> is in the README and the tests.</summary>
    static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal) { ["modes"] = ModeWeightsMetric.KindName };

    /// <summary>Projections of the sliced KS between two samples, where no definition pins them.</summary>
    const int TwoSampleProjections = 32;

    /// <summary>Permutations between two samples, where no definition pins them.</summary>
    const int TwoSamplePermutations = 200;

    static IEnumerable<string> Kinds => MetricCatalog.Default.SampleMetrics.Select(m => m.Kind).Concat(Aliases.Keys);

    static ISampleMetric? Metric(string test) =>
        MetricCatalog.Default.Kind(Aliases.GetValueOrDefault(test, test)) as ISampleMetric;

    /// <summary>Arguments of <c>stats</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Which statistic.</summary>
        [CommandArgument(0, "<TEST>")]
        [Description("A registered sample metric: mmd, ks, sliced-ks, moments (two samples or --against); mode-weights (alias modes), ksd (--against only).")]
        public string Test { get; init; } = "";

        /// <summary>First sample.</summary>
        [CommandArgument(1, "<A>")]
        [Description("Samples: " + PointsFile.Formats + ".")]
        public string A { get; init; } = "";

        /// <summary>Second sample.</summary>
        [CommandArgument(2, "[B]")]
        [Description("Second sample, same formats (two-sample tests).")]
        public string? B { get; init; }

        /// <summary>Compare with an experiment's truth.</summary>
        [CommandOption("--against <EXPERIMENT>")]
        [Description("Compare A with this experiment's exact law: p_σ at its training σ (as `truth` and every shipped gate), or p₀ for an experiment that trains no network; --sigma chooses. The experiment's evaluation sizes apply.")]
        public string? Against { get; init; }

        /// <summary>σ of p_σ.</summary>
        [CommandOption("--sigma <S>")]
        [Description("Compare against p_σ = p₀ ∗ N(0, σ²I) at this σ; 0 for p₀ (default: the experiment's training σ).")]
        public double? Sigma { get; init; }

        /// <summary>Significance level of the verdicts.</summary>
        [CommandOption("--alpha <A>")]
        [Description("Significance level of each p-value's verdict (default 0.01): reject when p < α; exit 1 when any test rejects.")]
        public double Alpha { get; init; } = 0.01;

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

        /// <summary>MMD bandwidth.</summary>
        [CommandOption("--bandwidth <H>")]
        [Description("MMD kernel bandwidth h, the kernel's standard deviation (a length): k = exp(−‖x−y‖²/(2h²)). Default: the evaluator's ladder h_med × {1/4 … 4} about the median heuristic.")]
        public double? Bandwidth { get; init; }

        /// <summary>Permutations.</summary>
        [CommandOption("--permutations <B>")]
        [Description("Permutations for MMD and sliced-KS p-values, bootstrap draws for KSD (default: the experiment's evaluation sizes with --against, else 200).")]
        public int? Permutations { get; init; }

        /// <summary>Sliced-KS projections.</summary>
        [CommandOption("--projections <K>")]
        [Description("Random directions of the sliced KS (default: the experiment's evaluation.projections with --against, else 32).")]
        public int? Projections { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the reference sample, permutations, projections and bootstrap (default 0).")]
        public long Seed { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object (law, α, every row named as in metrics.csv with its null baseline and verdict, the sizes) instead of the table.")]
        public bool Json { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Metric(Test) is not { } metric) return ValidationResult.Error($"TEST: must be one of {string.Join(", ", Kinds)} (got \"{Test}\")");
            if ((B is null) == (Against is null)) return ValidationResult.Error("give either a second sample B or --against EXPERIMENT");
            if (B is not null && !metric.AgainstSample) return ValidationResult.Error($"{Test} compares a sample with an experiment's truth: use --against");
            if (Permutations is < 1) return ValidationResult.Error($"--permutations: must be ≥ 1 (got {Permutations})");
            if (Projections is < 1) return ValidationResult.Error($"--projections: must be ≥ 1 (got {Projections})");
            if (Sigma is { } sigma && (!(sigma >= 0) || !double.IsFinite(sigma))) return ValidationResult.Error($"--sigma: must be ≥ 0 (got {sigma})");
            if (Sigma is not null && Against is null) return ValidationResult.Error("--sigma: only with --against (two samples need no law)");
            if (!(Alpha > 0 && Alpha < 1)) return ValidationResult.Error($"--alpha: must lie in (0, 1) (got {Alpha})");
            if (Bandwidth is { } h && !(h > 0 && double.IsFinite(h))) return ValidationResult.Error($"--bandwidth: must be > 0 (got {h})");
            return ValidationResult.Success();
        }
    }

    /// <summary>One line of the output: a metric row, its null baseline and, for a p-value, the verdict.</summary>
    sealed record Row(string Name, double Value, bool IsPValue)
    {
        public double? NullValue { get; set; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var metric = Metric(s.Test)!;
        var rng = new RandomStream((ulong)s.Seed).Child("stats");
        Mixture? target = null;
        string law = "";
        double sigma = 0;
        MetricSettings sizes = new(s.Permutations ?? TwoSamplePermutations, s.Projections ?? TwoSampleProjections, s.Permutations ?? TwoSamplePermutations, int.MaxValue)
        {
            Bandwidth = s.Bandwidth,
        };
        if (s.Against is not null)
        {
            var definition = new ExperimentSettings { Experiments = [s.Against], ExperimentsDirectory = s.ExperimentsDirectory }.Resolve()[0];
            target = definition.Data.BuildTarget();
            // One default with `truth` and the gates: p_σ at the training σ; p₀ when nothing is trained.
            sigma = s.Sigma ?? (definition.TrainingSigma > 0 ? definition.TrainingSigma : 0);
            string why = s.Sigma is not null ? "--sigma" : definition.TrainingSigma > 0 ? $"the training σ of {definition.Name}; --sigma 0 for p₀" : $"{definition.Name} trains no network";
            law = sigma > 0
                ? FormattableString.Invariant($"against p_σ of {definition.Name}, σ = {sigma:G6} ({why})")
                : $"against p₀ of {definition.Name} ({why})";
            var e = definition.Evaluation;
            sizes = new MetricSettings(s.Permutations ?? e.Permutations, s.Projections ?? e.Projections, s.Permutations ?? e.Bootstrap, e.MmdSize) { Bandwidth = s.Bandwidth };
        }
        // NumPy files through PointsFile; CSV directly, so a dimension error says whose dimension it is.
        static Points Read(string path, int? dimension, string because) =>
            Path.GetExtension(path).ToLowerInvariant() is ".npy" or ".npz" ? PointsFile.Read(path, dimension) : PointsCsv.Read(path, dimension, because);
        var a = Read(s.A, target?.Dimension, s.Against is null ? "" : $"the experiment {s.Against}");
        var b = s.B is null ? null : Read(s.B, a.Dimension, $"the first sample {s.A}");
        var smoothing = Smoothing.Gaussian(sigma);
        // Against an exact law its reference sample (for MMD and sliced KS) is a fresh exact draw of A's size.
        var reference = target is null ? new ReferenceLaw(b!) : new ReferenceLaw(target, smoothing, target.Sample(a.Count, smoothing, rng.Child("reference")));

        if (MetricRegistry.WhySkipped(metric, reference) is { } skipped)
            throw new InputException($"{(s.Against ?? s.A)}: {metric.Kind}: cannot be computed: {skipped}");
        var rows = Compute(s, metric, a, reference, sizes, rng.Child("test"), isNull: false);
        if (target is not null)
        {
            // The null baseline: the same metric for a fresh exact sample of the law, same size.
            var fresh = target.Sample(a.Count, smoothing, rng.Child("null"));
            var nullRows = Compute(s, metric, fresh, reference, sizes, rng.Child("test"), isNull: true);
            for (int i = 0; i < rows.Count; i++) rows[i].NullValue = nullRows[i].Value;
        }
        // A NaN statistic or p-value (∞ − ∞ on extreme values, say) is undefined: never a pass,
        // never a p-value (issue 11); it fails like a rejection, exit 1, and says so.
        var undefined = rows.Where(r => double.IsNaN(r.Value)).Select(r => r.Name).ToList();
        bool rejected = rows.Any(r => r.IsPValue && r.Value < s.Alpha) || undefined.Count > 0;
        string Verdict(Row r) => double.IsNaN(r.Value) ? UndefinedVerdict : !r.IsPValue ? "—" : r.Value < s.Alpha ? "reject" : "pass";
        var settingsUsed = new Dictionary<string, object?>
        {
            ["permutations"] = sizes.Permutations, ["projections"] = sizes.Projections, ["bootstrap"] = sizes.Bootstrap,
            ["mmd_size"] = sizes.MmdSize == int.MaxValue ? null : sizes.MmdSize, ["bandwidth"] = sizes.Bandwidth,
        };
        if (s.Json)
        {
            var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            streams.Out.WriteLine(JsonSerializer.Serialize(new
            {
                test = metric.Kind, law = s.Against is null ? $"two samples: {s.A} against {s.B}" : law, sigma = s.Against is null ? (double?)null : sigma,
                alpha = s.Alpha, n = a.Count,
                rows = rows.Select(r => new { name = r.Name, value = Json(r.Value), null_value = Json(r.NullValue), is_pvalue = r.IsPValue, verdict = Verdict(r) }),
                rejected, undefined, settings = settingsUsed, description = metric.Describe(reference),
            }, options));
        }
        else
        {
            streams.Out.WriteLine(s.Against is null
                ? $"{metric.Kind}: {s.A} (n = {a.Count}) against {s.B} (n = {b!.Count}); α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}"
                : $"{metric.Kind}: {s.A} (n = {a.Count}) {law}; α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}; null = a fresh exact sample of the same size");
            streams.Out.WriteLine($"{metric.Describe(reference)}; rows named as in metrics.csv");
            var table = new List<string[]> { new[] { "metric", "value", "null value", "verdict" } };
            table.AddRange(rows.Select(r => new[] { r.Name, Text(r.Value), Text(r.NullValue), Verdict(r) }));
            var widths = Enumerable.Range(0, 4).Select(c => table.Max(t => t[c].Length)).ToArray();
            foreach (var t in table) streams.Out.WriteLine(string.Join("  ", t.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            streams.Out.WriteLine(undefined.Count > 0
                ? $"undefined at α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}: {string.Join(", ", undefined)} came out NaN on this sample (an overflow such as ∞ − ∞ on its values), which is no p-value and never a pass"
                : rows.Any(r => r.IsPValue)
                ? rejected
                    ? $"rejected at α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}: the sample is not from {(s.Against is null ? "the law of B" : "that law")}"
                    : $"no test rejects at α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}"
                : "descriptive (no p-value): compare each value with its null value");
        }
        return rejected ? ReproApp.GateFailed : ReproApp.Ok;
    }

    /// <summary>The verdict of a row whose value is NaN: a failure with its reason, not a pass.</summary>
    const string UndefinedVerdict = "undefined (NaN)";

    static double? Json(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    static string Text(double? v) => v is not { } x ? "—" : double.IsNaN(x) ? "NaN" : x.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The metric's rows for sample <paramref name="a"/> against the law.</summary>
    static List<Row> Compute(Settings s, ISampleMetric metric, Points a, ReferenceLaw law, MetricSettings sizes, RandomStream rng, bool isNull)
    {
        try
        {
            return metric.Compute(a, law, sizes, rng)
                .Select(v => new Row(v.Metric, v.Value, MetricCatalog.Default.Find(v.Metric)?.Output.IsPValue ?? false)).ToList();
        }
        catch (ArgumentException e)
        {
            // Name the file that has the problem: Moments names its argument "sample" (A) or "reference" (B).
            string file = e.ParamName == "reference" && s.B is not null ? s.B : s.A;
            throw new InputException($"{(isNull ? "the null sample" : file)}: {s.Test}: {e.Message.Split(" (Parameter")[0]}");
        }
    }
}
