using Repro.Cli.Commands;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Results;

namespace Repro.Cli;

/// <summary>
/// The JUnit file of <c>check --junit</c> and <c>reproduce --junit</c>, written by one rule: the path
/// is relative to the current directory like every path argument; test cases are named per mode
/// (<c>quick-seed-S</c> for quick results); a failure names <c>experiments/EXP.json:LINE</c> of its
/// gate's threshold, relative to the repository root; the run context goes into suite properties.
/// </summary>
internal static class GateJUnit
{
    /// <summary>
    /// Writes the verdicts of <paramref name="definitions"/> to <paramref name="path"/> (atomically), with one
    /// failing <c>missing-result</c> test case per seed in <paramref name="absent"/>.
    /// </summary>
    public static void Write(string path, IReadOnlyList<GateVerdict> verdicts, IEnumerable<ExperimentDefinition> definitions,
        ResultsSettings settings, IReadOnlyList<MissingResultException> absent)
    {
        var missing = absent.Select(m => new MissingSeed(m.Definition.Name, m.Seed,
            $"{m.Definition.Name}: seed {m.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)} "
            + (m.Stale ? $"was made from another version of {m.Definition.SourceFile}; recompute: " : $"has no finished results in {settings.Directory}; compute: ")
            + SuggestedCommand.Run(m.RunName, [m.Seed], settings.Directory, settings.Quick, settings.ExperimentsDirectory))).ToList();
        string root = settings.RepositoryRoot;
        var files = definitions.Where(d => d.SourceFile.Length > 0)
            .GroupBy(d => d.Name).ToDictionary(g => g.Key, g => RelativeTo(root, g.First().SourceFile));
        JUnitReport.Write(path, verdicts, new Dictionary<string, string>
        {
            ["mode"] = settings.Quick ? "quick" : "full",
            ["results"] = settings.Directory,
            ["repro"] = ReproApp.Version,
            ["missing-seeds"] = missing.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, settings.Quick, files, missing);
    }

    /// <summary>A file as annotations name it: relative to the repository root with forward slashes, or as given outside it.</summary>
    static string RelativeTo(string root, string file)
    {
        string relative = Path.GetRelativePath(root, Path.GetFullPath(file));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
