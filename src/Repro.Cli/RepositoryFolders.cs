namespace Repro.Cli;

/// <summary>
/// Where the commands' default folders are when none is given: <c>experiments</c>, <c>reports</c> and
/// <c>reports.quick</c> of the repository repro runs in. That is the current folder when it holds
/// <c>experiments/</c>, else the nearest folder above it that does (as git finds <c>.git</c>), so <c>repro check</c>
/// run from <c>src/</c> reads the repository's experiments and results. A default found above is returned relative
/// to the current folder (<c>../experiments</c>), so messages and suggested commands name it as it works from here.
/// </summary>
public static class RepositoryFolders
{
    /// <summary>The default folder of experiment definitions.</summary>
    public const string Experiments = "experiments";

    /// <summary>
    /// The folder holding <see cref="Experiments"/>: <paramref name="start"/> itself or the nearest folder above it
    /// that does; null when none does.
    /// </summary>
    public static string? Root(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, Experiments)))
                return dir.FullName;
        return null;
    }

    /// <summary>
    /// The default path of the repository folder <paramref name="name"/> (e.g. <c>reports</c>): <paramref name="name"/>
    /// itself when the current folder holds <see cref="Experiments"/> or no folder above it does, else that folder's
    /// <paramref name="name"/> relative to the current one.
    /// </summary>
    public static string Default(string name)
    {
        string here = new DirectoryInfo(Directory.GetCurrentDirectory()).FullName;
        string? root = Root(here);
        return root is null || root == here ? name : Path.GetRelativePath(here, Path.Combine(root, name));
    }

    /// <summary>
    /// The one-line error for a definitions folder that does not exist: for the default, where it was looked for
    /// (here and in every folder above); for a given folder, that it does not exist.
    /// </summary>
    public static string Missing(string folder) => folder == Experiments
        ? $"{Experiments}: no such folder in {Directory.GetCurrentDirectory()} or any folder above it (repro looks for the repository's experiments/ there; run it inside the repository or pass --experiments DIR)"
        : $"{folder}: no such file or directory";
}
