using Repro.Core.Definitions;

namespace Repro.Core.Evaluation;

/// <summary>
/// Applies a definition's gates to its metric rows. A gate whose metric is missing fails: a
/// result that was not measured cannot pass. Nor does NaN (a statistic of non-finite input, or an
/// undefined one) pass any gate, whatever the comparator; its message says so. On quick results only the
/// size-free gates are judged (<see cref="QuickRule"/>); a missing result fails at any size (a run that
/// stopped is not a size effect). A control's gate (<see cref="GateDefinition.ExpectsFailure"/>) holds when its
/// value misses the threshold; a missing or NaN value fails it too.
/// </summary>
public static class GateEvaluator
{
    /// <summary>
    /// The rule for quick results, as check, the report and JUnit state it: every threshold is set for the full
    /// sizes, and only a size-free one (<see cref="Metrics.MetricOutput.SizeFree"/>) keeps its meaning at quick ones.
    /// </summary>
    public static string QuickRule { get; } =
        $"quick sizes judge only size-free gates: the p-value gates (a p-value is uniform under a true null at any n) and {SizeFreeValues} "
        + "(set by the sampler's step and the law); distance, error, ratio and loss gates have thresholds calibrated at the full sizes, which a "
        + "quick run's smaller samples and shorter training do not keep (a KS distance's null quantile grows as 1/√n), so they are shown, "
        + "not judged: run without --quick to judge them";

    /// <summary>The short reason a quick verdict carries when its gate is not size-free.</summary>
    public static string NotJudgedAtQuickSizes { get; } =
        $"threshold calibrated at the full sizes; quick runs judge only p-value and {SizeFreeValues} gates";

    /// <summary>The gateable outputs other than p-values that declare themselves size-free (today <c>mh-rejection</c>).</summary>
    static string SizeFreeValues => string.Join(", ", Metrics.MetricCatalog.Default.Metrics.SelectMany(m => m.Outputs)
        .Where(o => o.Gateable && o.SizeFree && !o.IsPValue).Select(o => o.Name));

    /// <summary>True when a gate on <paramref name="metric"/> is judged on quick results (a size-free registered output).</summary>
    public static bool JudgedAtQuickSizes(string metric) => Metrics.MetricCatalog.Default.Find(metric)?.Output.SizeFree ?? false;

    /// <summary>Every verdict of <paramref name="definition"/>'s gates over the rows of <paramref name="seeds"/> of a full run.</summary>
    public static IReadOnlyList<GateVerdict> Evaluate(ExperimentDefinition definition, IReadOnlyList<long> seeds, IReadOnlyList<MetricRow> rows) =>
        Evaluate(definition, seeds, rows, quick: false);

    /// <summary>
    /// Every verdict of <paramref name="definition"/>'s gates over the rows of <paramref name="seeds"/>; with
    /// <paramref name="quick"/>, the gates that are not size-free carry <see cref="GateVerdict.NotJudged"/>.
    /// </summary>
    public static IReadOnlyList<GateVerdict> Evaluate(ExperimentDefinition definition, IReadOnlyList<long> seeds, IReadOnlyList<MetricRow> rows, bool quick)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var gate in definition.Gates)
        {
            string? notJudged = quick && !JudgedAtQuickSizes(gate.Metric) ? NotJudgedAtQuickSizes : null;
            MetricRow? RowFor(long seed) => rows
                .FirstOrDefault(r => r.Seed == seed && r.Reconstruction == gate.Reconstruction && r.Reference == gate.Reference && r.Metric == gate.Metric);
            double ValueFor(long seed) => RowFor(seed)?.Value ?? double.NaN;

            if (gate.Over == GateDefinition.EachSeed)
            {
                foreach (long seed in seeds)
                {
                    double value = ValueFor(seed);
                    verdicts.Add(new GateVerdict(definition.Name, gate, seed, value, gate.Holds(value))
                        { Missing = RowFor(seed) is null, NotJudged = RowFor(seed) is null ? null : notJudged });
                }
            }
            else
            {
                double mean = seeds.Count == 0 ? double.NaN : seeds.Select(ValueFor).Average();
                verdicts.Add(new GateVerdict(definition.Name, gate, null, mean, gate.Holds(mean))
                    { Missing = seeds.Count == 0 || seeds.Any(s => RowFor(s) is null), NotJudged = seeds.Count == 0 || seeds.Any(s => RowFor(s) is null) ? null : notJudged });
            }
        }
        return verdicts;
    }
}
