namespace Repro.Results;

/// <summary>
/// Replaces one seed folder (<c>NAME/seed-S</c>) at once, as <see cref="StagedFolder"/> does for a
/// whole results folder: the seed is written into the empty hidden sibling <c>NAME/.seed-S.partial</c>
/// and <see cref="Commit"/> swaps it in with two renames (the old folder waits as
/// <c>NAME/.seed-S.previous</c> in between). A kill at any point leaves the old seed folder whole or
/// the new one complete; the next <see cref="Begin"/> of the seed puts back a <c>.previous</c> whose
/// seed folder is missing (a kill between the renames) and deletes the other leftovers. The names
/// start with a dot, so no reader takes them for a seed folder. The caller holds the results folder's
/// <see cref="ResultsLock"/>, so no other process writes the seed.
/// </summary>
public static class StagedSeedFolder
{
    /// <summary>Where the seed is written until it is complete.</summary>
    public static string PartialOf(string seedFolder) => Sibling(seedFolder, ".partial");

    /// <summary>Where the old seed folder waits during the swap.</summary>
    public static string PreviousOf(string seedFolder) => Sibling(seedFolder, ".previous");

    /// <summary>
    /// Cleans the leftovers of a killed run of this seed and returns an empty staging folder for it.
    /// Only this seed's siblings are touched: other seeds of the folder may be in progress.
    /// </summary>
    /// <exception cref="IOException">A folder cannot be made, moved or deleted.</exception>
    public static string Begin(string seedFolder)
    {
        string folder = Trim(seedFolder), partial = PartialOf(folder), previous = PreviousOf(folder);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        // A kill between the two renames of Commit: the old folder waits aside, the new one is not in place.
        if (Directory.Exists(previous))
        {
            if (Directory.Exists(folder)) Directory.Delete(previous, recursive: true);
            else Directory.Move(previous, folder);
        }
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        return partial;
    }

    /// <summary>Swaps the finished staging folder in for <paramref name="seedFolder"/>.</summary>
    public static void Commit(string seedFolder)
    {
        string folder = Trim(seedFolder), partial = PartialOf(folder), previous = PreviousOf(folder);
        if (!Directory.Exists(partial)) throw new InvalidOperationException($"{partial}: nothing staged");
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(folder)) Directory.Move(folder, previous);
        Directory.Move(partial, folder);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    /// <summary>Drops the staging folder; <paramref name="seedFolder"/> is untouched.</summary>
    public static void Abandon(string seedFolder)
    {
        string partial = PartialOf(seedFolder);
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
    }

    static string Sibling(string seedFolder, string suffix)
    {
        string folder = Trim(seedFolder);
        return Path.Combine(Path.GetDirectoryName(folder)!, "." + Path.GetFileName(folder) + suffix);
    }

    static string Trim(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
