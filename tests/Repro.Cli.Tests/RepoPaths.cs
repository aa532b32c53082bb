namespace Repro.Cli.Tests;

/// <summary>Folders the tests read, found from the test assembly's location, never from the current directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Repro.sln.</summary>
    public static string Root => Repro.Tests.Shared.RepoRoot.Path;

    /// <summary>The experiment definitions of the repository.</summary>
    public static string Experiments => Path.Combine(Root, "experiments");

    /// <summary>The malformed-definition corpus of the core tests (NAME.json with NAME.expected).</summary>
    public static string MalformedCorpus => Path.Combine(Root, "tests", "Repro.Core.Tests", "Fixtures", "malformed");
}
