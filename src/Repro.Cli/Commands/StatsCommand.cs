using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Repro.Core;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro stats mmd|ks|moments A.csv B.csv</c> compares two samples; <c>repro stats
/// ks|ksd|modes|moments A.csv --against EXPERIMENT [--sigma S]</c> compares a sample with an
/// experiment's exact p₀ (or p_σ). Users can check their own samplers with the harness's metrics.
/// </summary>
public sealed class StatsCommand(Streams streams) : Command<StatsCommand.Settings>
{
    static readonly string[] Tests = ["mmd", "ks", "moments", "ksd", "modes"];

    /// <summary>Arguments of <c>stats</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Which statistic.</summary>
        [CommandArgument(0, "<TEST>")]
        [Description("ks, moments (two samples or --against); mmd (two samples only); ksd, modes (--against only).")]
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
        [Description("Compare A with this experiment's exact law: p_σ at its training σ (as `truth` and every shipped gate), or p₀ for an experiment that trains no network; --sigma chooses.")]
        public string? Against { get; init; }

        /// <summary>σ of p_σ.</summary>
        [CommandOption("--sigma <S>")]
        [Description("Compare against p_σ = p₀ ∗ N(0, σ²I) at this σ; 0 for p₀ (default: the experiment's training σ).")]
        public double? Sigma { get; init; }

        /// <summary>Significance level of the verdicts.</summary>
        [CommandOption("--alpha <A>")]
        [Description("Significance level of each test's verdict (default 0.01): reject when p < α; exit 1 when any test rejects.")]
        public double Alpha { get; init; } = 0.01;

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = "experiments";

        /// <summary>MMD bandwidth.</summary>
        [CommandOption("--bandwidth <H>")]
        [Description("MMD kernel bandwidth h, the kernel's standard deviation (a length): k = exp(−‖x−y‖²/(2h²)). Default: median heuristic.")]
        public double? Bandwidth { get; init; }

        /// <summary>Permutations.</summary>
        [CommandOption("--permutations <B>")]
        [Description("Permutations for MMD and sliced-KS p-values, bootstrap draws for KSD (default 200).")]
        public int Permutations { get; init; } = 200;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the permutations, projections and bootstrap (default 0).")]
        public long Seed { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object (law, α, every row with its null baseline and verdict, and the details) instead of the table.")]
        public bool Json { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Array.IndexOf(Tests, Test) < 0) return ValidationResult.Error($"TEST: must be one of {string.Join(", ", Tests)} (got \"{Test}\")");
            if ((B is null) == (Against is null)) return ValidationResult.Error("give either a second sample B or --against EXPERIMENT");
            if (B is not null && Test is "ksd" or "modes") return ValidationResult.Error($"{Test} compares a sample with an experiment's truth: use --against");
            if (Against is not null && Test == "mmd") return ValidationResult.Error("mmd compares two samples: give B");
            if (Permutations < 1) return ValidationResult.Error($"--permutations: must be ≥ 1 (got {Permutations})");
            if (Sigma is { } sigma && (!(sigma >= 0) || !double.IsFinite(sigma))) return ValidationResult.Error($"--sigma: must be ≥ 0 (got {sigma})");
            if (Sigma is not null && Against is null) return ValidationResult.Error("--sigma: only with --against (two samples need no law)");
            if (!(Alpha > 0 && Alpha < 1)) return ValidationResult.Error($"--alpha: must lie in (0, 1) (got {Alpha})");
            if (Bandwidth is { } h && !(h > 0 && double.IsFinite(h))) return ValidationResult.Error($"--bandwidth: must be > 0 (got {h})");
            return ValidationResult.Success();
        }
    }

    /// <summary>One line of the output: a statistic with its p-value (if it is a test), null baseline and verdict.</summary>
    sealed record Row(string Name, double Value, double? PValue)
    {
        public double? NullValue { get; set; }
        public double? NullPValue { get; set; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var rng = new RandomStream((ulong)s.Seed).Child("stats");
        Mixture? target = null;
        string law = "";
        double sigma = 0;
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
        }
        // NumPy files through PointsFile; CSV directly, so a dimension error says whose dimension it is.
        static Points Read(string path, int? dimension, string because) =>
            Path.GetExtension(path).ToLowerInvariant() is ".npy" or ".npz" ? PointsFile.Read(path, dimension) : PointsCsv.Read(path, dimension, because);
        var a = Read(s.A, target?.Dimension, s.Against is null ? "" : $"the experiment {s.Against}");
        var b = s.B is null ? null : Read(s.B, a.Dimension, $"the first sample {s.A}");
        var smoothing = Smoothing.Gaussian(sigma);

        var details = new Dictionary<string, object?>();
        var rows = Compute(s, a, b, target, smoothing, rng.Child("test"), details);
        if (target is not null)
        {
            // The null baseline: the same statistic for a fresh exact sample of the law, same size.
            var fresh = target.Sample(a.Count, smoothing, rng.Child("null"));
            var nullRows = Compute(s, fresh, null, target, smoothing, rng.Child("test"), null);
            for (int i = 0; i < rows.Count; i++)
            {
                rows[i].NullValue = nullRows[i].Value;
                rows[i].NullPValue = nullRows[i].PValue;
            }
        }
        bool rejected = rows.Any(r => r.PValue < s.Alpha);
        string Verdict(Row r) => r.PValue is not { } p ? "—" : p < s.Alpha ? "reject" : "pass";
        if (s.Json)
        {
            var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            streams.Out.WriteLine(JsonSerializer.Serialize(new
            {
                test = s.Test, law = s.Against is null ? $"two samples: {s.A} against {s.B}" : law, sigma = s.Against is null ? (double?)null : sigma,
                alpha = s.Alpha, n = a.Count,
                rows = rows.Select(r => new { name = r.Name, value = Json(r.Value), pvalue = Json(r.PValue), null_value = Json(r.NullValue), null_pvalue = Json(r.NullPValue), verdict = Verdict(r) }),
                rejected, details,
            }, options));
        }
        else
        {
            streams.Out.WriteLine(s.Against is null
                ? $"{s.Test}: {s.A} (n = {a.Count}) against {s.B} (n = {b!.Count}); α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}"
                : $"{s.Test}: {s.A} (n = {a.Count}) {law}; α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}; null = a fresh exact sample of the same size");
            var table = new List<string[]> { new[] { "statistic", "value", "p-value", "null value", "null p-value", "verdict" } };
            table.AddRange(rows.Select(r => new[] { r.Name, Text(r.Value), Text(r.PValue), Text(r.NullValue), Text(r.NullPValue), Verdict(r) }));
            var widths = Enumerable.Range(0, 6).Select(c => table.Max(t => t[c].Length)).ToArray();
            foreach (var t in table) streams.Out.WriteLine(string.Join("  ", t.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            foreach (var (key, value) in details.Where(d => d.Value is string))
                streams.Out.WriteLine($"{key}: {value}");
            streams.Out.WriteLine(rejected
                ? $"rejected at α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}: the sample is not from {(s.Against is null ? "the law of B" : "that law")}"
                : $"no test rejects at α = {s.Alpha.ToString(CultureInfo.InvariantCulture)}");
        }
        return rejected ? ReproApp.GateFailed : ReproApp.Ok;
    }

    static double? Json(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    static string Text(double? v) => v is not { } x ? "—" : double.IsNaN(x) ? "NaN" : x.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The test's rows for sample <paramref name="a"/> (and <paramref name="b"/> or the law); details collected when given.</summary>
    static List<Row> Compute(Settings s, Points a, Points? b, Mixture? target, Smoothing smoothing, RandomStream rng, Dictionary<string, object?>? details)
    {
        var rows = new List<Row>();
        try
        {
            switch (s.Test)
            {
                case "mmd":
                    var mmd = s.Bandwidth is { } h ? Mmd.Test(a, b!, h, s.Permutations, rng) : Mmd.TestMedian(a, b!, s.Permutations, rng);
                    rows.Add(new Row("mmd2 (unbiased)", mmd.Mmd2Unbiased, mmd.PValue));
                    details?.Add("mmd2_biased", mmd.Mmd2Biased);
                    details?.Add("bandwidth", mmd.Bandwidth);
                    details?.Add("kernel", "RBF k(x, y) = exp(-|x-y|^2 / (2 h^2)), h = bandwidth (median heuristic unless --bandwidth)");
                    details?.Add("permutations", mmd.Permutations);
                    break;
                case "ks":
                    var pvalues = new List<double>();
                    var statistics = new List<double>();
                    for (int k = 0; k < a.Dimension; k++)
                    {
                        int coordinate = k;
                        var ks = b is not null
                            ? KolmogorovSmirnov.TwoSample(a.Column(k), b.Column(k))
                            : KolmogorovSmirnov.OneSample(a.Column(k), v => target!.MarginalCdf(coordinate, v, smoothing));
                        pvalues.Add(ks.PValue);
                        statistics.Add(ks.Statistic);
                        details?.Add($"x{k + 1}", new { statistic = ks.Statistic, pvalue = ks.PValue, method = ks.Method.ToString().ToLowerInvariant() });
                    }
                    rows.Add(a.Dimension == 1
                        ? new Row("KS D", statistics[0], pvalues[0])
                        : new Row($"max KS D over {a.Dimension} coordinates (Bonferroni p)", statistics.Max(), Math.Min(1.0, a.Dimension * pvalues.Min())));
                    if (a.Dimension > 1 && b is not null)
                    {
                        var sliced = KolmogorovSmirnov.Sliced(a, b, 32, s.Permutations, rng);
                        rows.Add(new Row($"sliced KS ({sliced.Projections} projections)", sliced.Statistic, sliced.PValue));
                    }
                    break;
                case "moments":
                    MomentsResult m;
                    if (b is not null) m = Moments.Compare(a, b);
                    else
                    {
                        int d = a.Dimension;
                        var cov = target!.Covariance(smoothing);
                        var covariance = new double[d, d];
                        for (int i = 0; i < d; i++)
                            for (int j = 0; j < d; j++) covariance[i, j] = cov[i * d + j];
                        m = Moments.CompareToExact(a, target.Mean(smoothing), covariance);
                    }
                    rows.Add(new Row("mean error ‖μ̂ − μ‖", m.MeanError, null));
                    rows.Add(new Row("covariance error (relative Frobenius)", m.CovarianceErrorRelative, null));
                    for (int k = 0; k < m.VarianceRatio.Count; k++) rows.Add(new Row($"variance ratio x{k + 1}", m.VarianceRatio[k], null));
                    if (m.SkewnessDifference is { } sk) for (int k = 0; k < sk.Count; k++) rows.Add(new Row($"skewness difference x{k + 1}", sk[k], null));
                    if (m.ExcessKurtosisDifference is { } ku) for (int k = 0; k < ku.Count; k++) rows.Add(new Row($"excess kurtosis difference x{k + 1}", ku[k], null));
                    details?.Add("note", "moments are descriptive (no p-value): compare each with its null value");
                    break;
                case "ksd":
                    var ksd = KernelStein.Test(a, p => target!.Score(p, smoothing), s.Permutations, rng);
                    rows.Add(new Row("KSD²", ksd.Ksd2, ksd.PValue));
                    details?.Add("bootstraps", ksd.Bootstraps);
                    details?.Add("caveat", "score-based: blind to mixing weights (Wenliang & Kanagawa 2020); use modes for those");
                    break;
                case "modes":
                    var modes = ModeWeights.Test(target!.Responsibilities(a, smoothing), target.Weights);
                    rows.Add(new Row($"mode weights: {modes.Test}, {modes.DegreesOfFreedom} df", modes.Statistic, modes.PValue));
                    for (int c = 0; c < modes.Modes.Count; c++)
                        rows.Add(new Row(FormattableString.Invariant($"mean responsibility {c + 1} (weight {modes.Modes[c].TrueWeight:G4})"), modes.Modes[c].MeanResponsibility, null));
                    details?.Add("modes", modes.Modes.Select((mode, c) => new
                    {
                        component = c + 1, true_weight = mode.TrueWeight, mean_responsibility = mode.MeanResponsibility,
                        lower = mode.Lower, upper = mode.Upper, argmax_count = mode.Count, argmax_share = mode.Share,
                    }).ToArray());
                    break;
            }
        }
        catch (ArgumentException e)
        {
            // Name the file that has the problem: Moments names its argument "sample" (A) or "reference" (B).
            string file = e.ParamName == "reference" && s.B is not null ? s.B : s.A;
            throw new InputException($"{(details is null ? "the null sample" : file)}: {s.Test}: {e.Message.Split(" (Parameter")[0]}");
        }
        return rows;
    }
}
