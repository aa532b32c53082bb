using System.ComponentModel;
using Repro.Reporting.Diff;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro diff BASE [NEW]</c>: compares two results folders number by number (<see cref="ResultsDiff"/>).
/// BASE or NEW may be a git revision (<c>HEAD</c>, <c>main</c>, a commit; <c>REV:PATH</c>), read as
/// its committed <c>reports/</c>. Exit 0 when identical and no gate verdict changed, 1 when something
/// differs, 2 on bad input. Identical means bit-identical when both sides were made with the same thread
/// count and packages, else within each metric's null-spread tolerance (<see cref="NullSpreadTolerance"/>;
/// <c>--null-spread</c> asks for it, e.g. across machines); <c>--rtol</c>/<c>--atol</c> set one uniform tolerance instead.
/// </summary>
public sealed class DiffCommand(Streams streams) : Command<DiffCommand.Settings>
{
    /// <summary>Arguments of <c>diff</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The baseline.</summary>
        [CommandArgument(0, "<BASE>")]
        [Description("Baseline results: a folder, or a git revision (HEAD, main, a commit; REV:PATH for another folder than reports).")]
        public string Base { get; init; } = "";

        /// <summary>The results judged against it.</summary>
        [CommandArgument(1, "[NEW]")]
        [Description("Results to compare with BASE: a folder or a revision (default: reports).")]
        public string New { get; init; } = ResultsSettings.FullFolder;

        /// <summary>Relative tolerance.</summary>
        [CommandOption("--rtol <R>")]
        [Description("One uniform tolerance on every number: allow |new − base| ≤ atol + rtol·|base| (default: bit-identity, or the null-spread tolerances when threads or packages differ).")]
        public double Rtol { get; init; }

        /// <summary>Absolute tolerance.</summary>
        [CommandOption("--atol <A>")]
        [Description("Absolute tolerance (default 0).")]
        public double Atol { get; init; }

        /// <summary>Judge each metric against its null spread.</summary>
        [CommandOption("--null-spread")]
        [Description("Judge each metric against its null spread (3 × the base's spread of its null baseline; p-values by their verdict at α = 0.01; files through their metrics), not digit by digit. The default when the two sides' thread counts or packages differ; use it across machines.")]
        public bool NullSpread { get; init; }

        /// <summary>The tolerance asked for: --rtol/--atol, --null-spread, else bit-identity unless threads or packages differ.</summary>
        public DiffTolerance Tolerance =>
            Rtol > 0 || Atol > 0 ? new DiffTolerance(Rtol, Atol)
            : NullSpread ? DiffTolerance.ByNullSpread
            : DiffTolerance.Auto;

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print every difference as JSON.")]
        public bool Json { get; init; }

        /// <summary>Markdown output.</summary>
        [CommandOption("--md")]
        [Description("Print a Markdown summary (e.g. for a pull-request comment).")]
        public bool Markdown { get; init; }

        /// <summary>Rows per kind of difference in text and Markdown.</summary>
        [CommandOption("--limit <N>")]
        [Description("Rows shown per kind of difference (default 20; --json lists all).")]
        public int Limit { get; init; } = 20;

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            !(Rtol >= 0 && double.IsFinite(Rtol)) ? ValidationResult.Error($"--rtol: must be a finite number ≥ 0 (got {Rtol})")
            : !(Atol >= 0 && double.IsFinite(Atol)) ? ValidationResult.Error($"--atol: must be a finite number ≥ 0 (got {Atol})")
            : NullSpread && (Rtol > 0 || Atol > 0) ? ValidationResult.Error("--null-spread and --rtol/--atol: choose one tolerance")
            : Json && Markdown ? ValidationResult.Error("--json and --md: choose one output form")
            : Limit < 1 ? ValidationResult.Error($"--limit: must be ≥ 1 (got {Limit})")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string here = Directory.GetCurrentDirectory();
        using var baseline = CommittedResults.Resolve(settings.Base, here);
        using var fresh = CommittedResults.Resolve(settings.New, here);
        var result = ResultsDiff.Compare(baseline.Folder, fresh.Folder, settings.Tolerance, baseline.Label, fresh.Label);
        streams.Out.Write(settings.Json ? DiffRendering.Json(result) + "\n"
            : settings.Markdown ? DiffRendering.Markdown(result, settings.Limit)
            : DiffRendering.Text(result, settings.Limit));
        return result.Identical ? ReproApp.Ok : ReproApp.GateFailed;
    }
}
