using Repro.Core.Definitions;

namespace Repro.Core.Evaluation;

/// <summary>
/// Applies a definition's gates to its metric rows. A gate whose metric is missing fails: a
/// result that was not measured cannot pass. Nor does NaN (a statistic of non-finite input, or an
/// undefined one) pass any gate, whatever the comparator; its message says so.
/// </summary>
public static class GateEvaluator
{
    /// <summary>Every verdict of <paramref name="definition"/>'s gates over the rows of <paramref name="seeds"/>.</summary>
    public static IReadOnlyList<GateVerdict> Evaluate(ExperimentDefinition definition, IReadOnlyList<long> seeds, IReadOnlyList<MetricRow> rows)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var gate in definition.Gates)
        {
            MetricRow? RowFor(long seed) => rows
                .FirstOrDefault(r => r.Seed == seed && r.Reconstruction == gate.Reconstruction && r.Reference == gate.Reference && r.Metric == gate.Metric);
            double ValueFor(long seed) => RowFor(seed)?.Value ?? double.NaN;

            if (gate.Over == GateDefinition.EachSeed)
            {
                foreach (long seed in seeds)
                {
                    double value = ValueFor(seed);
                    verdicts.Add(new GateVerdict(definition.Name, gate, seed, value, !double.IsNaN(value) && gate.Passes(value))
                        { Missing = RowFor(seed) is null });
                }
            }
            else
            {
                double mean = seeds.Count == 0 ? double.NaN : seeds.Select(ValueFor).Average();
                verdicts.Add(new GateVerdict(definition.Name, gate, null, mean, !double.IsNaN(mean) && gate.Passes(mean))
                    { Missing = seeds.Count == 0 || seeds.Any(s => RowFor(s) is null) });
            }
        }
        return verdicts;
    }
}
