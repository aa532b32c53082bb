using Repro.Core;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;

namespace Repro.Results;

/// <summary>
/// Reads stored results back: the finished runs of an experiment and their metric rows. Refuses
/// results made from another version of the definition, so a gate never judges stale numbers.
/// </summary>
public static class ResultsStore
{
    /// <summary>The <c>run.json</c> of one seed, or null when the run has not finished.</summary>
    public static RunRecord? ReadRun(string seedFolder) => new SeedFiles(seedFolder).ReadRun();

    /// <summary>
    /// Metric rows of every seed of <paramref name="definition"/> in <paramref name="layout"/>;
    /// throws <see cref="MissingResultException"/> when a seed has no finished, current result.
    /// </summary>
    public static IReadOnlyList<MetricRow> ReadMetrics(ExperimentDefinition definition, ResultsLayout layout, IReadOnlyList<long> seeds)
    {
        var rows = new List<MetricRow>();
        foreach (long seed in seeds)
        {
            var files = new SeedFiles(layout.SeedFolder(definition.Name, seed));
            string folder = files.Folder;
            var run = files.ReadRun() ?? throw new MissingResultException(
                $"{folder}: no finished run of {definition.Name} seed {seed}", definition, seed, stale: false);
            if (run.DefinitionHash != definition.Hash)
                throw new MissingResultException(
                    $"{files.PathOf(SeedFiles.Run)}: made from another version of {definition.SourceFile} (definition changed since the run)", definition, seed, stale: true);
            if (!run.Finished) continue; // a diverged run has no metrics: its gates fail as missing
            rows.AddRange(files.ReadMetrics());
        }
        return rows;
    }
}
