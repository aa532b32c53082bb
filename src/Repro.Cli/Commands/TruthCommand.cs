using System.ComponentModel;
using System.Globalization;
using System.Text;
using Repro.Core;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Runs;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro truth EXPERIMENT --points FILE.csv [--sigma S]</c>: exact log p₀, ∇log p₀, log p_σ and
/// ∇log p_σ at the given points, as CSV in round-trip precision; <c>--floor</c> prints the DSM loss floor.
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

        /// <summary>Print the loss floor.</summary>
        [CommandOption("--floor")]
        [Description("Print the DSM loss floor d/σ² − J(p_σ) per dimension and its Monte Carlo standard error.")]
        public bool Floor { get; init; }

        /// <summary>Monte Carlo size of the floor.</summary>
        [CommandOption("--samples <N>")]
        [Description("Monte Carlo draws for --floor (default 1000000).")]
        public int Samples { get; init; } = 1_000_000;

        /// <summary>Seed of the floor's Monte Carlo draws.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the --floor draws (default 0).")]
        public long Seed { get; init; }

        /// <inheritdoc/>
        public override Spectre.Console.ValidationResult Validate() =>
            Points is null == !Floor ? Spectre.Console.ValidationResult.Error("give exactly one of --points FILE or --floor")
            : Sigma is { } s && !(s > 0 && double.IsFinite(s)) ? Spectre.Console.ValidationResult.Error($"--sigma: must be > 0 (got {s})")
            : Samples < 2 ? Spectre.Console.ValidationResult.Error($"--samples: must be ≥ 2 (got {Samples})")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definition = new ExperimentSettings { Experiments = [settings.Experiment], ExperimentsDirectory = settings.ExperimentsDirectory }.Resolve()[0];
        double sigma = settings.Sigma ?? definition.TrainingSigma;
        if (!(sigma > 0))
            throw new InputException($"{definition.SourceFile}: experiment {definition.Name} trains no network: give --sigma");
        var target = definition.Data.BuildTarget();
        int d = target.Dimension;

        if (settings.Floor)
        {
            var floor = LossFloor.Estimate(target, sigma, settings.Samples, new RandomStream((ulong)settings.Seed).Child("floor"));
            streams.Out.WriteLine(FormattableString.Invariant(
                $"{definition.Name}: DSM loss floor at σ = {sigma}: {floor.Floor:R} ± {floor.StandardError:R} (per dimension, d = {d}, {floor.Samples} draws; d/σ² per dimension = {1 / (sigma * sigma):R})"));
            return ReproApp.Ok;
        }

        var points = PointsCsv.Read(settings.Points!, d);
        var logp0 = target.LogDensity(points, Smoothing.None);
        var score0 = target.Score(points, Smoothing.None);
        var logps = target.LogDensity(points, Smoothing.Gaussian(sigma));
        var scores = target.Score(points, Smoothing.Gaussian(sigma));
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
}
