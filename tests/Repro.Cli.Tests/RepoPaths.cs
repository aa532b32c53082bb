namespace Repro.Cli.Tests;

/// <summary>Folders the tests read, found from the test assembly's location, never from the current directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Repro.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The experiment definitions of the repository.</summary>
    public static string Experiments => Path.Combine(Root, "experiments");

    /// <summary>The malformed-definition corpus of the core tests (NAME.json with NAME.expected).</summary>
    public static string MalformedCorpus => Path.Combine(Root, "tests", "Repro.Core.Tests", "Fixtures", "malformed");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Repro.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Repro.sln above {AppContext.BaseDirectory}");
    }
}
