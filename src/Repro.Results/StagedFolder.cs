namespace Repro.Results;

/// <summary>
/// Replaces a whole results folder at once. Work happens in a sibling copy
/// (<c>DIR.staging</c>, seeded with the current contents, so that what the run does not rewrite, such
/// as <c>calibration.json</c>, is kept; seeds are never reused from it); only when
/// it is complete does <see cref="Commit"/> swap it in with two renames. An interruption at any
/// earlier point leaves <c>DIR</c> exactly as it was, whole and readable; one between the two
/// renames leaves <c>DIR.previous</c>, which the next <see cref="Begin"/> puts back.
/// </summary>
public static class StagedFolder
{
    /// <summary>The sibling the work is done in.</summary>
    public static string StagingOf(string folder) => Trim(folder) + ".staging";

    /// <summary>Where the old folder waits during the swap.</summary>
    public static string PreviousOf(string folder) => Trim(folder) + ".previous";

    /// <summary>
    /// Recovers from an interrupted swap, discards any stale staging copy, and returns a fresh
    /// staging copy of <paramref name="folder"/> (empty when the folder does not exist yet).
    /// </summary>
    public static string Begin(string folder)
    {
        string staging = StagingOf(folder), previous = PreviousOf(folder);
        if (!Directory.Exists(folder) && Directory.Exists(previous)) Directory.Move(previous, Trim(folder));
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        if (Directory.Exists(folder)) Copy(folder, staging);
        return staging;
    }

    /// <summary>Swaps the finished staging copy in for <paramref name="folder"/>.</summary>
    public static void Commit(string folder)
    {
        string staging = StagingOf(folder), previous = PreviousOf(folder);
        if (!Directory.Exists(staging)) throw new InvalidOperationException($"{staging}: nothing staged");
        if (Directory.Exists(folder)) Directory.Move(Trim(folder), previous);
        Directory.Move(staging, Trim(folder));
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    /// <summary>Drops the staging copy; <paramref name="folder"/> is untouched.</summary>
    public static void Abandon(string folder)
    {
        string staging = StagingOf(folder);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
    }

    static void Copy(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    static string Trim(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
