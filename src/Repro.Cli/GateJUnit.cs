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
    /// <summary>Writes the verdicts of <paramref name="definitions"/> to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, IReadOnlyList<GateVerdict> verdicts, IEnumerable<ExperimentDefinition> definitions,
        ResultsSettings settings, int missingSeeds)
    {
        string root = settings.RepositoryRoot;
        var files = definitions.Where(d => d.SourceFile.Length > 0)
            .GroupBy(d => d.Name).ToDictionary(g => g.Key, g => RelativeTo(root, g.First().SourceFile));
        JUnitReport.Write(path, verdicts, new Dictionary<string, string>
        {
            ["mode"] = settings.Quick ? "quick" : "full",
            ["results"] = settings.Directory,
            ["repro"] = ReproApp.Version,
            ["missing-seeds"] = missingSeeds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, settings.Quick, files);
    }

    /// <summary>A file as annotations name it: relative to the repository root with forward slashes, or as given outside it.</summary>
    static string RelativeTo(string root, string file)
    {
        string relative = Path.GetRelativePath(root, Path.GetFullPath(file));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
