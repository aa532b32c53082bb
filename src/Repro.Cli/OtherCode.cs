using System.Globalization;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Results;
using Repro.Runs;

namespace Repro.Cli;

/// <summary>
/// The judged seeds whose results were made by code other than this build (their <c>run.json</c>'s
/// code identity differs from <see cref="CodeIdentity.Hash"/>, or records none): not current (issue 11).
/// <c>check</c> and <c>report</c> still judge them, so that the committed <c>reports/</c> (made by the code
/// of an earlier commit) can be re-gated on a clean clone whatever src/ holds now, but say so, one line
/// per seed; <c>check --strict</c> fails them.
/// </summary>
public static class OtherCode
{
    /// <summary>One seed made by other code: <paramref name="Code"/> is null when its record names none.</summary>
    public sealed record Seed(string Experiment, long Number, string? Code);

    /// <summary>Every seed of <paramref name="definitions"/> whose stored run was made by other code.</summary>
    public static IReadOnlyList<Seed> Of(IEnumerable<ExperimentDefinition> definitions, ResultsLayout layout) =>
        definitions.SelectMany(d => d.Seeds.Select(s => (d, s, run: ResultsStore.ReadRun(layout.SeedFolder(d.Name, s)))))
            .Where(t => t.run is not null && t.run.Code != CodeIdentity.Hash)
            .Select(t => new Seed(t.d.Name, t.s, t.run!.Code)).ToList();

    /// <summary>How many verdicts judge results of other code: a seed's own, and a mean over seeds that include one.</summary>
    public static int Verdicts(IEnumerable<GateVerdict> verdicts, IReadOnlyList<Seed> other) =>
        verdicts.Count(v => Judges(v, other));

    /// <summary>True when <paramref name="v"/> reads a result of other code.</summary>
    public static bool Judges(GateVerdict v, IReadOnlyList<Seed> other) =>
        other.Any(o => o.Experiment == v.Experiment && (v.Seed is not long s || s == o.Number));

    /// <summary><c>note: NAME seed S was made by code C, this build is D: not current; recompute: …</c> (12 hex digits of each).</summary>
    public static string Note(Seed seed, string folder, bool quick, string experimentsDirectory) =>
        $"note: {seed.Experiment} seed {seed.Number.ToString(CultureInfo.InvariantCulture)} was made by code {(seed.Code is { } c ? c[..Math.Min(12, c.Length)] : "(not recorded)")}, "
        + $"this build is {CodeIdentity.Hash[..12]}: not current; recompute: {SuggestedCommand.Run(seed.Experiment, [seed.Number], folder, quick, experimentsDirectory)}";

    /// <summary>The clause the summary line ends with, or "" when every judged result is current.</summary>
    public static string Summary(int verdicts, bool strict) => verdicts == 0 ? ""
        : $"; {verdicts} verdict(s) judge results made by other code than this build (not current{(strict ? ": --strict fails them" : "; --strict fails them")})";
}
