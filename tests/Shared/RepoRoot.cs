namespace Repro.Tests.Shared;

/// <summary>
/// The repository root for tests: the nearest folder above the test binaries that holds Repro.sln,
/// never the current directory. Linked into every test project (one copy of the search).
/// </summary>
internal static class RepoRoot
{
    /// <summary>The root folder.</summary>
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Repro.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Repro.sln above {AppContext.BaseDirectory}");
    }
}
