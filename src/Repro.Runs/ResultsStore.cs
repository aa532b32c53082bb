using System.Text.Json;
using Repro.Core;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;

namespace Repro.Runs;

/// <summary>
/// Reads stored results back: the finished runs of an experiment and their metric rows. Refuses
/// results made from another version of the definition, so a gate never judges stale numbers.
/// </summary>
public static class ResultsStore
{
    /// <summary>The <c>run.json</c> of one seed, or null when the run has not finished.</summary>
    public static RunRecord? ReadRun(string seedFolder)
    {
        string path = Path.Combine(seedFolder, "run.json");
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a run record ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>
    /// Metric rows of every seed of <paramref name="definition"/> under <paramref name="options"/>'s
    /// output folder; throws when a seed has no finished, current result.
    /// </summary>
    public static IReadOnlyList<MetricRow> ReadMetrics(ExperimentDefinition definition, RunOptions options, IReadOnlyList<long> seeds)
    {
        var rows = new List<MetricRow>();
        foreach (long seed in seeds)
        {
            string folder = options.SeedFolder(definition.Name, seed);
            var run = ReadRun(folder) ?? throw new InputException(
                // A sweep variant (BASE/sweep/PARAM-VALUE) is run with its base.
                $"{folder}: no finished run of {definition.Name} seed {seed} (run `repro run {definition.Name.Split('/')[0]}{(options.Quick ? " --quick" : "")}` first)");
            if (run.DefinitionHash != definition.Hash)
                throw new InputException(
                    $"{Path.Combine(folder, "run.json")}: made from another version of {definition.SourceFile} (definition changed since the run; rerun it)");
            if (run.Status != "ok") continue; // a diverged run has no metrics: its gates fail as missing
            rows.AddRange(MetricsCsv.Read(Path.Combine(folder, "metrics.csv")));
        }
        return rows;
    }
}
