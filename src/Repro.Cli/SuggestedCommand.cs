using System.Globalization;
using Repro.Core.Definitions;
using Repro.Results;

namespace Repro.Cli;

/// <summary>
/// Commands the CLI suggests (to compute missing seeds, to add sweep variants), spelled so that pasting
/// them into a shell in the same folder runs them: the program as this process was started (<c>repro</c>
/// when that is what PATH finds, else the apphost's or <c>dotnet repro.dll</c>'s path), every folder the
/// user gave, <c>--quick</c> when the results are quick, and the seeds; arguments are shell-quoted.
/// </summary>
public static class SuggestedCommand
{
    /// <summary>How to start this program from the current folder: <c>repro</c>, a path to the apphost, or <c>dotnet PATH/repro.dll</c>.</summary>
    public static string Program { get; } = FindProgram(absolute: false);

    /// <summary>
    /// How a job started elsewhere (a Slurm task, in another folder) starts this program: <c>repro</c> when that is
    /// what PATH finds (the installed tool), else the apphost's or <c>dotnet repro.dll</c>'s absolute path.
    /// </summary>
    public static string AbsoluteProgram { get; } = FindProgram(absolute: true);

    /// <summary>
    /// The <c>repro run</c> that computes <paramref name="seeds"/> of <paramref name="experiment"/> into
    /// <paramref name="folder"/> (null seeds: every seed of the definition).
    /// </summary>
    public static string Run(string experiment, IReadOnlyCollection<long>? seeds, string folder, bool quick, string experimentsDirectory)
    {
        var parts = new List<string> { Program, "run", Quote(experiment) };
        if (seeds is { Count: > 0 }) parts.AddRange(["--seed", string.Join(",", seeds.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)))]);
        parts.AddRange(["--out", Quote(folder)]);
        if (quick) parts.Add("--quick");
        if (experimentsDirectory != "experiments") parts.AddRange(["--experiments", Quote(experimentsDirectory)]);
        return string.Join(" ", parts);
    }

    /// <summary>
    /// One line per experiment and kind (no result / stale result) naming the seeds and the command that
    /// computes them, e.g. <c>dsm-2d-two-blobs: seeds 2, 3 have no finished results in reports (seed-2, seed-3); compute them: repro run dsm-2d-two-blobs --seed 2,3 --out reports</c>.
    /// </summary>
    public static IReadOnlyList<string> MissingLines(IReadOnlyList<MissingResultException> missing, ResultsLayout layout, string folder, string experimentsDirectory)
    {
        var lines = new List<string>();
        foreach (var group in missing.GroupBy(m => (m.Definition.Name, m.RunName, m.Stale)))
        {
            var seeds = group.Select(m => m.Seed).Distinct().Order().ToArray();
            string list = string.Join(", ", seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
            string folders = string.Join(", ", seeds.Select(s => Path.GetFileName(layout.SeedFolder(group.Key.Name, s))));
            string plural = seeds.Length == 1 ? "seed" : "seeds";
            string command = Run(group.Key.RunName, seeds, folder, layout.Quick, experimentsDirectory);
            lines.Add(group.Key.Stale
                ? $"{group.Key.Name}: {plural} {list} in {folder} ({folders}) {(seeds.Length == 1 ? "was" : "were")} made from another version of {group.First().Definition.SourceFile}; recompute: {command}"
                : $"{group.Key.Name}: {plural} {list} {(seeds.Length == 1 ? "has" : "have")} no finished results in {folder} ({folders}); compute: {command}");
        }
        return lines;
    }

    /// <summary>A word as a POSIX shell reads it back: as is when it holds only safe characters, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./,:=+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    static string FindProgram(bool absolute)
    {
        string? process = Environment.ProcessPath;
        string dll = typeof(SuggestedCommand).Assembly.Location;
        if (process is null || dll.Length == 0) return "repro";
        string name = Path.GetFileNameWithoutExtension(process);
        if (name == "repro")
            return OnPath(process) ? "repro" : Quote(absolute ? Path.GetFullPath(process) : Relative(process));
        if (name == "dotnet" && Path.GetFileName(dll) == "repro.dll")
            return "dotnet " + Quote(absolute ? Path.GetFullPath(dll) : Relative(dll));
        // Another host (a test runner, the installed .NET tool's shim): the name the README gives.
        return "repro";
    }

    /// <summary>True when the first <c>repro</c> on PATH is <paramref name="apphost"/> itself.</summary>
    static bool OnPath(string apphost)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "repro");
            if (!File.Exists(candidate)) continue;
            try
            {
                var resolved = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(candidate);
                return string.Equals(resolved, Path.GetFullPath(apphost), StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>A path relative to the current folder when it lies below it, else absolute.</summary>
    static string Relative(string path)
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative;
    }
}
