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
        [Description("mmd, ks, moments (two samples or --against), ksd, modes (--against only).")]
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
        [Description("Compare A with this experiment's exact p₀ (or p_σ with --sigma).")]
        public string? Against { get; init; }

        /// <summary>σ of p_σ.</summary>
        [CommandOption("--sigma <S>")]
        [Description("Compare against p_σ = p₀ ∗ N(0, σ²I) instead of p₀.")]
        public double Sigma { get; init; }

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
        [Description("Print one JSON object.")]
        public bool Json { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Array.IndexOf(Tests, Test) < 0) return ValidationResult.Error($"TEST: must be one of {string.Join(", ", Tests)} (got \"{Test}\")");
            if ((B is null) == (Against is null)) return ValidationResult.Error("give either a second sample B or --against EXPERIMENT");
            if (B is not null && Test is "ksd" or "modes") return ValidationResult.Error($"{Test} compares a sample with an experiment's truth: use --against");
            if (Against is not null && Test == "mmd") return ValidationResult.Error("mmd compares two samples: give B");
            if (Permutations < 1) return ValidationResult.Error($"--permutations: must be ≥ 1 (got {Permutations})");
            if (!(Sigma >= 0) || !double.IsFinite(Sigma)) return ValidationResult.Error($"--sigma: must be ≥ 0 (got {Sigma})");
            if (Bandwidth is { } h && !(h > 0 && double.IsFinite(h))) return ValidationResult.Error($"--bandwidth: must be > 0 (got {h})");
            return ValidationResult.Success();
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var rng = new RandomStream((ulong)s.Seed).Child("stats");
        Mixture? target = null;
        if (s.Against is not null)
            target = new ExperimentSettings { Experiments = [s.Against], ExperimentsDirectory = s.ExperimentsDirectory }.Resolve()[0].Data.BuildTarget();
        var a = PointsFile.Read(s.A, target?.Dimension);
        var b = s.B is null ? null : PointsFile.Read(s.B, a.Dimension);
        var smoothing = Smoothing.Gaussian(s.Sigma);
        var result = new Dictionary<string, object?>();
        try
        {
            switch (s.Test)
            {
                case "mmd":
                    var mmd = s.Bandwidth is { } h ? Mmd.Test(a, b!, h, s.Permutations, rng) : Mmd.TestMedian(a, b!, s.Permutations, rng);
                    result["mmd2_unbiased"] = mmd.Mmd2Unbiased;
                    result["mmd2_biased"] = mmd.Mmd2Biased;
                    result["bandwidth"] = mmd.Bandwidth;
                    result["bandwidth_meaning"] = "h, the RBF kernel's standard deviation (a length): k(x, y) = exp(-|x-y|^2 / (2 h^2))";
                    result["pvalue"] = mmd.PValue;
                    result["permutations"] = mmd.Permutations;
                    break;
                case "ks":
                    var coordinates = new List<object>();
                    var pvalues = new List<double>();
                    for (int k = 0; k < a.Dimension; k++)
                    {
                        int coordinate = k;
                        var ks = b is not null
                            ? KolmogorovSmirnov.TwoSample(a.Column(k), b.Column(k))
                            : KolmogorovSmirnov.OneSample(a.Column(k), v => target!.MarginalCdf(coordinate, v, smoothing));
                        pvalues.Add(ks.PValue);
                        coordinates.Add(new { coordinate = $"x{k + 1}", statistic = ks.Statistic, pvalue = ks.PValue, method = ks.Method.ToString().ToLowerInvariant() });
                    }
                    result["coordinates"] = coordinates;
                    if (a.Dimension > 1)
                    {
                        result["bonferroni_pvalue"] = Math.Min(1.0, a.Dimension * pvalues.Min());
                        if (b is not null)
                        {
                            var sliced = KolmogorovSmirnov.Sliced(a, b, 32, s.Permutations, rng);
                            result["sliced"] = new { statistic = sliced.Statistic, pvalue = sliced.PValue, projections = sliced.Projections, permutations = sliced.Permutations };
                        }
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
                    result["mean_error"] = m.MeanError;
                    result["covariance_error_frobenius"] = m.CovarianceErrorFrobenius;
                    result["covariance_error_relative"] = m.CovarianceErrorRelative;
                    result["variance_ratio"] = m.VarianceRatio;
                    result["skewness_difference"] = m.SkewnessDifference;
                    result["excess_kurtosis_difference"] = m.ExcessKurtosisDifference;
                    break;
                case "ksd":
                    var ksd = KernelStein.Test(a, p => target!.Score(p, smoothing), s.Permutations, rng);
                    result["ksd2"] = ksd.Ksd2;
                    result["pvalue"] = ksd.PValue;
                    result["bootstraps"] = ksd.Bootstraps;
                    result["caveat"] = "score-based: blind to mixing weights (Wenliang & Kanagawa 2020); use modes for those";
                    break;
                case "modes":
                    var modes = ModeWeights.Test(target!.Responsibilities(a, smoothing), target.Weights);
                    result["modes"] = modes.Modes.Select((mode, c) => new
                    {
                        component = c + 1, true_weight = mode.TrueWeight, mean_responsibility = mode.MeanResponsibility,
                        lower = mode.Lower, upper = mode.Upper, argmax_count = mode.Count, argmax_share = mode.Share,
                    }).ToArray();
                    result["test"] = modes.Test;
                    result["statistic"] = modes.Statistic;
                    result["df"] = modes.DegreesOfFreedom;
                    result["pvalue"] = modes.PValue;
                    break;
            }
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{s.A}: {s.Test}: {e.Message.Split(" (Parameter")[0]}");
        }
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        if (s.Json) streams.Out.WriteLine(JsonSerializer.Serialize(result, options));
        else foreach (var (key, value) in result) streams.Out.WriteLine($"{key}: {JsonSerializer.Serialize(value, options)}");
        return ReproApp.Ok;
    }
}
