namespace Repro.Core.Tests;

/// <summary>Folders the tests read, found from the test assembly's location, never from the current directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Repro.sln.</summary>
    public static string Root => Repro.Tests.Shared.RepoRoot.Path;

    /// <summary>The experiment definitions of the repository.</summary>
    public static string Experiments => Path.Combine(Root, "experiments");

    /// <summary>The schema of experiment definitions.</summary>
    public static string Schema => Path.Combine(Experiments, "schema.json");

    /// <summary>The fixtures copied beside the test binaries.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The definition files of <paramref name="folder"/>, schema excepted, in name order.</summary>
    public static string[] Definitions(string folder) => Directory.GetFiles(folder, "*.json")
        .Where(f => Path.GetFileName(f) != "schema.json")
        .Order(StringComparer.Ordinal)
        .ToArray();
}
