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
    /// failing <c>missing-result</c> test case per seed in <paramref name="absent"/>. Each experiment's suite names its
    /// definition hash, this build's code identity and the code identity of each judged seed's result; a verdict on a
    /// result made by other code says so in its output, and with <paramref name="strict"/> fails (type <c>not-current</c>).
    /// </summary>
    /// <param name="layout">Where the judged results are read (their run.json name the code that made them).</param>
    public static void Write(string path, IReadOnlyList<GateVerdict> verdicts, IEnumerable<ExperimentDefinition> definitions,
        ResultsSettings settings, IReadOnlyList<MissingResultException> absent, ResultsLayout layout, bool strict)
    {
        var judged = definitions.ToList();
        var other = OtherCode.Of(judged, layout);
        var suites = judged.GroupBy(d => d.Name).ToDictionary(g => g.Key, g => SuiteProperties(g.First(), layout, other));
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
        }, settings.Quick, files, missing, suites, v => NotCurrent(v, other), strict);
    }

    /// <summary>
    /// An experiment's suite properties: <c>definition-hash</c>, <c>code-identity</c> (this build), <c>seed-S-code</c> per judged
    /// seed with a result (the code that made it, "not recorded" in records older than it) and <c>other-code-seeds</c>.
    /// </summary>
    static IReadOnlyDictionary<string, string> SuiteProperties(ExperimentDefinition d, ResultsLayout layout, IReadOnlyList<OtherCode.Seed> other)
    {
        var properties = new Dictionary<string, string>
        {
            ["definition-hash"] = d.Hash,
            ["code-identity"] = Runs.CodeIdentity.Hash,
        };
        foreach (long seed in d.Seeds)
            if (ResultsStore.ReadRun(layout.SeedFolder(d.Name, seed)) is { } run)
                properties[$"{(layout.Quick ? "quick-" : "")}seed-{seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}-code"] = run.Code ?? "not recorded";
        properties["other-code-seeds"] = string.Join(",", other.Where(o => o.Experiment == d.Name).Select(o => o.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return properties;
    }

    /// <summary>Why <paramref name="v"/> is not current (it judges a result made by other code), or null.</summary>
    static string? NotCurrent(GateVerdict v, IReadOnlyList<OtherCode.Seed> other)
    {
        var seeds = other.Where(o => o.Experiment == v.Experiment && (v.Seed is not long s || s == o.Number)).ToList();
        if (seeds.Count == 0) return null;
        string Code(OtherCode.Seed o) => o.Code is { } c ? c[..Math.Min(12, c.Length)] : "(not recorded)";
        return "not current: " + string.Join("; ", seeds.Select(o => $"seed {o.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)} was made by code {Code(o)}"))
            + $", this build is {Runs.CodeIdentity.Hash[..12]}";
    }

    /// <summary>A file as annotations name it: relative to the repository root with forward slashes, or as given outside it.</summary>
    static string RelativeTo(string root, string file)
    {
        string relative = Path.GetRelativePath(root, Path.GetFullPath(file));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
