using System.Globalization;
using Repro.Results;

namespace Repro.Reporting;

/// <summary>
/// The command a page prints to compute absent results: <c>repro run EXPERIMENT --seed S,… --out DIR</c>
/// (with <c>--quick</c> for quick results). The CLI hands in its own, spelled as this process was started
/// so that it runs when pasted.
/// </summary>
/// <param name="experiment">The experiment to run (a sweep variant runs with its base).</param>
/// <param name="seeds">The seeds to compute.</param>
public delegate string RunSuggestion(string experiment, IReadOnlyCollection<long> seeds);

/// <summary>The suggestion used when no command line hands one in.</summary>
public static class RunSuggestions
{
    /// <summary><c>repro run NAME --seed … --out DIR [--quick]</c> for <paramref name="layout"/>.</summary>
    public static RunSuggestion Default(ResultsLayout layout) => (experiment, seeds) =>
        $"repro run {experiment} --seed {string.Join(",", seeds.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)))} --out {layout.OutputRoot}{(layout.Quick ? " --quick" : "")}";
}
