using System.ComponentModel;
using System.Globalization;
using System.Text;
using Repro.Core;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Results;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro truth EXPERIMENT --points FILE.csv [--sigma S] [--scale A]</c>: exact log p₀, ∇log p₀, and the
/// log-density and score of the law of A·x₀ + S·ε (p_σ when A = 1) at the given points, as CSV in
/// round-trip precision; <c>--time T [--schedule KIND(...)]</c> takes (A, S) = (a(T), σ(T)) from a schedule;
/// <c>--floor</c> prints the DSM loss floor: at one σ, or for a <c>schedule-dsm</c> experiment without <c>--sigma</c> the
/// λ-weighted floor over its schedule's levels (the value <c>repro run</c> subtracts). <c>--sigma 0</c> is p₀ itself.
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
        public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);

        /// <summary>Points to evaluate.</summary>
        [CommandOption("--points <FILE>")]
        [Description("CSV with header x1,...,xd: the points to evaluate.")]
        public string? Points { get; init; }

        /// <summary>σ of p_σ.</summary>
        [CommandOption("--sigma <S>")]
        [Description("σ ≥ 0 of the smoothed density p_σ = p₀ ∗ N(0, σ²I) (default: the experiment's training σ; 0 is p₀ itself).")]
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
        [Description("Print the DSM loss floor d/σ² − J(p_σ) per dimension: by quadrature on a grid for d ≤ 2 (with its error estimate), by Monte Carlo above (with its standard error). The loss is the trainer's: the mean over batch and dimensions of (s_θ(x + σε) + ε/σ)², with no ½ and no σ² weighting. For a schedule-dsm experiment without --sigma: the λ-weighted floor over its schedule, E_σ[[λ(σ)(d/σ² − J(p_σ))]]/d, by stratified Monte Carlo (100 levels).")]
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
            : Sigma is { } s && !(s >= 0 && double.IsFinite(s)) ? Spectre.Console.ValidationResult.Error($"--sigma: must be ≥ 0 and finite (got {s})")
            : Sigma == 0 && Floor ? Spectre.Console.ValidationResult.Error("--floor: needs σ > 0 (the DSM floor d/σ² − J(p_σ) diverges at σ = 0)")
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
            if (settings.Sigma is null && !(s > 0))
                throw new InputException($"{definition.SourceFile}: experiment {definition.Name} trains no network: give --sigma (or --time)");
            law = new Smoothing(settings.Scale ?? 1.0, s);
        }
        double sigma = law.Sigma;
        var target = definition.Data.BuildTarget();
        int d = target.Dimension;
        // σ = 0 is A·x₀ itself: a density only where p₀ has one and A > 0 (A = 0 is a point mass at the origin).
        if (sigma == 0 && !(law.Scale > 0 && target.HasDensity(Smoothing.None)))
            throw new InputException(law.Scale > 0
                ? $"{definition.SourceFile}: --sigma 0: p₀ of experiment {definition.Name} has no density (an empirical law); give --sigma > 0"
                : "--sigma 0 with --scale 0: the law of 0·x₀ + 0·ε is a point mass at the origin, with no density; give --sigma > 0 or --scale > 0");

        if (settings.Floor && settings.Sigma is null && definition.Training?.Objective is Repro.Core.Definitions.ScheduleDsmObjective objective)
            return ScheduleFloor(definition, objective, target, settings);

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
                }, PlainJson));
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
        // An empirical law (kind ensemble) has no density at σ = 0: its logp and score columns are NaN, said on stderr.
        bool density = target.HasDensity(Smoothing.None);
        if (!density) streams.Error.WriteLine($"note: {definition.Name}: p₀ is an empirical law with no density: the logp and score columns are NaN (the _sigma columns are its smoothed law)");
        var logp0 = density ? target.LogDensity(points, Smoothing.None) : Enumerable.Repeat(double.NaN, points.Count).ToArray();
        var score0 = density ? target.Score(points, Smoothing.None) : new Points(Enumerable.Repeat(double.NaN, points.Data.Length).ToArray(), d);
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

    /// <summary>JSON as typed: '+', '&lt;', '&gt;', '&amp;' and non-ASCII letters written as themselves, not as \u escapes (the output is never embedded in HTML).</summary>
    static readonly System.Text.Json.JsonSerializerOptions PlainJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The λ-weighted floor of a <c>schedule-dsm</c> experiment, E_σ̃[λ(σ̃)(d/σ̃² − J(p_σ̃))]/d over its levels, computed by
    /// <see cref="Repro.Core.Definitions.ObjectiveDefinition.Floor"/>, the call <c>repro run</c> subtracts from the final loss.
    /// </summary>
    int ScheduleFloor(Repro.Core.Definitions.ExperimentDefinition definition, Repro.Core.Definitions.ScheduleDsmObjective objective, Mixture target, Settings settings)
    {
        int strata = Repro.Core.Definitions.ScheduleDsmObjective.FloorStrata;
        if (settings.Samples < 2 * strata)
            throw new InputException(FormattableString.Invariant($"--samples: the schedule floor needs at least 2 draws per level, {2 * strata} (got {settings.Samples})"));
        var floor = objective.Floor(target, settings.Samples, new RandomStream((ulong)settings.Seed).Child("floor"));
        int d = target.Dimension;
        var schedule = objective.Schedule;
        bool logNormal = objective.Levels == Repro.Core.Definitions.ScheduleDsmObjective.LogNormal;
        double low = schedule.Sigma(schedule.TimeMin) / schedule.Scale(schedule.TimeMin), high = schedule.Sigma(schedule.TimeMax) / schedule.Scale(schedule.TimeMax);
        // A zero score's loss per dimension, E[λ(σ̃)/σ̃²], by the floor's own midpoint rule over the level quantiles.
        double zero = Enumerable.Range(0, strata).Select(k => objective.Level((k + 0.5) / strata)).Average(s => objective.Weight(s) / (s * s));
        string weighting = objective.Weighting == Repro.Core.Definitions.ScheduleDsmObjective.Edm
            ? FormattableString.Invariant($"λ = σ²(σ² + σ_d²)/σ_d², σ_d = {objective.SigmaData}") : "λ = σ²";
        string levels = logNormal
            ? FormattableString.Invariant($"log-normal levels (P_mean {objective.PMean}, P_std {objective.PStd})")
            : FormattableString.Invariant($"levels σ(t)/a(t), t uniform on [{objective.Schedule.TimeMin}, {objective.Schedule.TimeMax}], from {low:G4} to {high:G4}");
        const string convention = "mean over batch and dimensions of lambda(sigma)*(s_theta(x0 + sigma*eps, sigma) + eps/sigma)^2 over the schedule's levels sigma, no 1/2";
        if (settings.Json)
        {
            streams.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                experiment = definition.Name, objective = objective.KindName, schedule = objective.Schedule.KindName,
                levels = objective.Levels, weighting = objective.Weighting,
                sigma_data = objective.Weighting == Repro.Core.Definitions.ScheduleDsmObjective.Edm ? objective.SigmaData : (double?)null,
                sigma_min = logNormal ? (double?)null : low, sigma_max = logNormal ? (double?)null : high, dimension = d, floor = floor.Floor, method = "stratified-monte-carlo",
                standard_error = floor.StandardError, samples = floor.Samples, strata, seed = settings.Seed,
                zero_score_loss = zero, convention,
            }, PlainJson));
            return ReproApp.Ok;
        }
        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(floor.StandardError)), 1, 15);
        string f(double v) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);
        streams.Out.WriteLine(FormattableString.Invariant(
            $"{definition.Name}: schedule-DSM loss floor over the {objective.Schedule.KindName} schedule ({levels}; {weighting}): {f(floor.Floor)} ± {f(floor.StandardError)} (stratified Monte Carlo SE: {strata} levels × {floor.Samples / strata} draws, seed {settings.Seed}), per dimension, d = {d}"));
        streams.Out.WriteLine(FormattableString.Invariant(
            $"loss convention: the mean over batch and dimensions of λ(σ)(s_θ(x₀ + σε, σ) + ε/σ)² over the schedule's levels σ, no ½; a perfect score reaches E_σ[λ(σ)(d/σ² − J(p_σ))]/d, a zero score {zero:G6}; --sigma S gives the single-σ floor at S"));
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
