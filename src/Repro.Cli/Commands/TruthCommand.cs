using System.ComponentModel;
using System.Globalization;
using System.Text;
using Repro.Core;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Results;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro truth EXPERIMENT --points FILE.csv [--sigma S] [--scale A]</c>: exact log p₀, ∇log p₀, and the
/// log-density and score of the law of A·x₀ + S·ε (p_σ when A = 1) at the given points, as CSV in
/// round-trip precision; <c>--time T [--schedule KIND(...)]</c> takes (A, S) = (a(T), σ(T)) from a schedule;
/// <c>--floor</c> prints the DSM loss floor.
/// </summary>
public sealed class TruthCommand(Streams streams) : Command<TruthCommand.Settings>
{
    /// <summary>Arguments of <c>truth</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Experiment name or definition file.</summary>
        [CommandArgument(0, "<EXPERIMENT>")]
        [Description("Experiment name (looked up in --experiments) or definition file.")]
        public string Experiment { get; init; } = "";

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = "experiments";

        /// <summary>Points to evaluate.</summary>
        [CommandOption("--points <FILE>")]
        [Description("CSV with header x1,...,xd: the points to evaluate.")]
        public string? Points { get; init; }

        /// <summary>σ of p_σ.</summary>
        [CommandOption("--sigma <S>")]
        [Description("σ of the smoothed density p_σ = p₀ ∗ N(0, σ²I) (default: the experiment's training σ).")]
        public double? Sigma { get; init; }

        /// <summary>a of the law a·x₀ + σ·ε.</summary>
        [CommandOption("--scale <A>")]
        [Description("Scale A of the law A·x₀ + S·ε in the logp_sigma/score_sigma columns (default 1: p_σ = p₀ ∗ N(0, σ²I)).")]
        public double? Scale { get; init; }

        /// <summary>Time of a schedule.</summary>
        [CommandOption("-t|--time <T>")]
        [Description("Time T of a diffusion schedule: the logp_sigma/score_sigma columns hold the law of x_T = a(T)·x₀ + σ(T)·ε. Needs --schedule, or an experiment whose samplers use exactly one schedule.")]
        public double? Time { get; init; }

        /// <summary>Schedule for <c>--time</c>.</summary>
        [CommandOption("--schedule <KIND(...)>")]
        [Description("Schedule for --time: ve(sigmaMin=..,sigmaMax=..), vp(betaMin=..,betaMax=..[[,epsilon=..]]) or edm(sigmaMin=..,sigmaMax=..[[,rho=..]]).")]
        public string? Schedule { get; init; }

        /// <summary>Print the loss floor.</summary>
        [CommandOption("--floor")]
        [Description("Print the DSM loss floor d/σ² − J(p_σ) per dimension: by quadrature on a grid for d ≤ 2 (with its error estimate), by Monte Carlo above (with its standard error). The loss is the trainer's: the mean over batch and dimensions of (s_θ(x + σε) + ε/σ)², with no ½ and no σ² weighting.")]
        public bool Floor { get; init; }

        /// <summary>JSON output for --floor.</summary>
        [CommandOption("--json")]
        [Description("With --floor: print the floor as one JSON object.")]
        public bool Json { get; init; }

        /// <summary>Monte Carlo size of the floor.</summary>
        [CommandOption("--samples <N>")]
        [Description("Monte Carlo draws for --floor where it samples (d > 2, or --monte-carlo; default 1000000).")]
        public int Samples { get; init; } = 1_000_000;

        /// <summary>Sample the floor even where the quadrature applies.</summary>
        [CommandOption("--monte-carlo")]
        [Description("With --floor: estimate the floor by Monte Carlo even for d ≤ 2 (an independent check of the quadrature).")]
        public bool MonteCarlo { get; init; }

        /// <summary>Seed of the floor's Monte Carlo draws.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the --floor draws (default 0).")]
        public long Seed { get; init; }

        /// <inheritdoc/>
        public override Spectre.Console.ValidationResult Validate() =>
            Points is null == !Floor ? Spectre.Console.ValidationResult.Error("give exactly one of --points FILE or --floor")
            : Json && !Floor ? Spectre.Console.ValidationResult.Error("--json: only with --floor (--points prints CSV)")
            : MonteCarlo && !Floor ? Spectre.Console.ValidationResult.Error("--monte-carlo: only with --floor")
            : Sigma is { } s && !(s > 0 && double.IsFinite(s)) ? Spectre.Console.ValidationResult.Error($"--sigma: must be > 0 (got {s})")
            : Samples < 2 ? Spectre.Console.ValidationResult.Error($"--samples: must be ≥ 2 (got {Samples})")
            : Scale is { } a && !(a >= 0 && double.IsFinite(a)) ? Spectre.Console.ValidationResult.Error($"--scale: must be ≥ 0 and finite (got {a})")
            : Time is { } && (Sigma is not null || Scale is not null) ? Spectre.Console.ValidationResult.Error("--time takes a(T) and σ(T) from the schedule: give either --time or --sigma/--scale")
            : Time is { } t && !double.IsFinite(t) ? Spectre.Console.ValidationResult.Error($"--time: must be finite (got {t})")
            : Schedule is not null && Time is null ? Spectre.Console.ValidationResult.Error("--schedule needs --time")
            : Time is not null && Floor ? Spectre.Console.ValidationResult.Error("--floor is the single-σ DSM floor: it takes --sigma, not --time")
            : Scale is not null && Floor ? Spectre.Console.ValidationResult.Error("--floor is the single-σ DSM floor: it takes --sigma, not --scale")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definition = new ExperimentSettings { Experiments = [settings.Experiment], ExperimentsDirectory = settings.ExperimentsDirectory }.Resolve()[0];
        Smoothing law;
        if (settings.Time is { } time)
        {
            var schedule = settings.Schedule is { } text ? Repro.Core.Schedules.Schedule.Parse(text, "--schedule") : ScheduleOf(definition);
            if (!(time >= schedule.TimeMin && time <= schedule.TimeMax))
                throw new InputException(FormattableString.Invariant(
                    $"--time: must be in [{schedule.TimeMin}, {schedule.TimeMax}], the {schedule.KindName} schedule's time range (got {time})"));
            law = schedule.Marginal(time);
        }
        else
        {
            double s = settings.Sigma ?? definition.TrainingSigma;
            if (!(s > 0))
                throw new InputException($"{definition.SourceFile}: experiment {definition.Name} trains no network: give --sigma (or --time)");
            law = new Smoothing(settings.Scale ?? 1.0, s);
        }
        double sigma = law.Sigma;
        var target = definition.Data.BuildTarget();
        int d = target.Dimension;

        if (settings.Floor)
        {
            var rng = new RandomStream((ulong)settings.Seed).Child("floor");
            var floor = settings.MonteCarlo ? LossFloor.Estimate(target, sigma, settings.Samples, rng) : LossFloor.Compute(target, sigma, settings.Samples, rng);
            bool quadrature = floor.Method == LossFloorMethod.Quadrature;
            const string convention = "mean over batch and dimensions of (s_theta(x + sigma*eps) + eps/sigma)^2, no 1/2, no sigma^2 weighting";
            if (settings.Json)
            {
                streams.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    experiment = definition.Name, sigma, dimension = d, floor = floor.Floor,
                    method = quadrature ? "quadrature" : "monte-carlo",
                    standard_error = quadrature ? (double?)null : floor.StandardError, error_estimate = quadrature ? floor.StandardError : (double?)null,
                    samples = quadrature ? (int?)null : floor.Samples, grid_points = quadrature ? floor.Samples : (int?)null,
                    seed = quadrature ? (long?)null : settings.Seed, per_dimension_d_over_sigma2 = 1 / (sigma * sigma), convention,
                }));
                return ReproApp.Ok;
            }
            if (quadrature)
                streams.Out.WriteLine(FormattableString.Invariant(
                    $"{definition.Name}: DSM loss floor at σ = {sigma}: {floor.Floor:F12} (trapezoid quadrature on {floor.Samples} grid points, error estimate {floor.StandardError:G2}), per dimension, d = {d}"));
            else
            {
                // Digits the Monte Carlo error supports: two significant digits of the standard error.
                int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(floor.StandardError)), 1, 15);
                string f(double v) => v.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
                streams.Out.WriteLine(FormattableString.Invariant(
                    $"{definition.Name}: DSM loss floor at σ = {sigma}: {f(floor.Floor)} ± {f(floor.StandardError)} (Monte Carlo SE, {floor.Samples} draws, seed {settings.Seed}), per dimension, d = {d}"));
            }
            streams.Out.WriteLine(FormattableString.Invariant(
                $"loss convention: the mean over batch and dimensions of (s_θ(x + σε) + ε/σ)², no ½, no σ² weighting; a perfect score reaches d/σ² − J(p_σ) per dimension, a zero score {1 / (sigma * sigma):G6}"));
            return ReproApp.Ok;
        }

        var points = PointsCsv.Read(settings.Points!, d);
        var logp0 = target.LogDensity(points, Smoothing.None);
        var score0 = target.Score(points, Smoothing.None);
        var (logps, scores) = target.LogDensityAndScore(points, law);
        var sb = new StringBuilder();
        sb.Append(string.Join(",", PointsCsv.Header(d))).Append(",logp,").Append(string.Join(",", PointsCsv.Header(d, "score")))
          .Append(",logp_sigma,").Append(string.Join(",", PointsCsv.Header(d, "score_sigma"))).Append('\n');
        for (int i = 0; i < points.Count; i++)
        {
            foreach (double v in points.Row(i)) sb.Append(PointsCsv.Format(v)).Append(',');
            sb.Append(PointsCsv.Format(logp0[i]));
            foreach (double v in score0.Row(i)) sb.Append(',').Append(PointsCsv.Format(v));
            sb.Append(',').Append(PointsCsv.Format(logps[i]));
            foreach (double v in scores.Row(i)) sb.Append(',').Append(PointsCsv.Format(v));
            sb.Append('\n');
        }
        streams.Out.Write(sb.ToString());
        return ReproApp.Ok;
    }

    /// <summary>The one schedule the experiment's samplers use, for <c>--t</c> without <c>--schedule</c>.</summary>
    static Repro.Core.Schedules.Schedule ScheduleOf(Repro.Core.Definitions.ExperimentDefinition definition)
    {
        var schedules = definition.Reconstructions.Select(r => r.Sampler switch
        {
            Repro.Core.Definitions.ReverseSdeSampler s => s.Schedule,
            Repro.Core.Definitions.PredictorCorrectorSampler s => s.Schedule,
            Repro.Core.Definitions.ProbabilityFlowSampler s => s.Schedule,
            _ => null,
        }).OfType<Repro.Core.Schedules.Schedule>().Distinct().ToList();
        return schedules.Count == 1 ? schedules[0]
            : throw new InputException($"{definition.SourceFile}: --time needs --schedule KIND(...): experiment {definition.Name} uses {(schedules.Count == 0 ? "no schedule" : $"{schedules.Count} different schedules")}");
    }
}
