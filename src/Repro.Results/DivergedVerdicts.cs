using System.Globalization;
using Repro.Core.Evaluation;

namespace Repro.Results;

/// <summary>
/// Names divergence in the verdicts it empties: a diverged run stores no metrics, so its gates have no value, and
/// each such verdict is told why (<see cref="GateVerdict.Diverged"/>: the seed, and the stage and step its
/// <c>run.json</c> records), so check, the page and JUnit say "diverged in sampling NAME at step N", not "missing".
/// </summary>
public static class DivergedVerdicts
{
    /// <summary>
    /// <paramref name="verdicts"/> with every missing value of a diverged seed marked: a per-seed verdict by its own run,
    /// a verdict over seeds by every diverged seed among <paramref name="runs"/> (the seeds it averages).
    /// </summary>
    /// <param name="verdicts">One experiment's verdicts.</param>
    /// <param name="runs">The stored run records of that experiment's judged seeds, by seed.</param>
    public static IReadOnlyList<GateVerdict> Mark(IReadOnlyList<GateVerdict> verdicts, IReadOnlyDictionary<long, RunRecord> runs)
    {
        string? Why(long seed) => runs.TryGetValue(seed, out var run) && run.Divergence is { } d
            ? $"seed {seed.ToString(CultureInfo.InvariantCulture)} {d}" : null;
        string? WhyAll() => string.Join("; ", runs.Keys.Order().Select(Why).OfType<string>()) is { Length: > 0 } all ? all : null;
        return verdicts.Select(v => !v.Missing ? v : (v.Seed is long s ? Why(s) : WhyAll()) is { } why ? v with { Diverged = why } : v).ToList();
    }
}
