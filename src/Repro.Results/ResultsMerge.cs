using System.Globalization;
using Repro.Core;

namespace Repro.Results;

/// <summary>One unit's result folder to take into a merged results folder.</summary>
/// <param name="Source">The results folder it comes from.</param>
/// <param name="Folder">Its folder relative to the results folder, '/' separated (<c>NAME/seed-S</c>).</param>
public sealed record MergedUnit(string Source, string Folder);

/// <summary>What <see cref="ResultsMerge.Prepare"/> checked and will take.</summary>
/// <param name="Units">Every unit, each from one source, ordered by folder.</param>
/// <param name="Shards">How many shard manifests the sources held (0: plain results folders only).</param>
/// <param name="Plan">The plan the shards belong to (null without manifests).</param>
public sealed record MergePlan(IReadOnlyList<MergedUnit> Units, int Shards, string? Plan);

/// <summary>
/// Combines results folders made on different machines or by different processes (shards of one plan,
/// <c>repro run --shard I/N</c>, or plain results folders) into one, byte-identical to what a one-process
/// <c>repro run</c> of the same units writes: each unit's seed folder is copied whole, nothing else. The
/// checks run before anything is written (<see cref="Prepare"/>), and the merged folder replaces the target
/// only once complete (<see cref="StagedFolder"/>), so a refused or failed merge leaves it as it was.
/// </summary>
public static class ResultsMerge
{
    /// <summary>
    /// Checks <paramref name="sources"/> and lists what a merge takes from each. A folder with shard manifests
    /// gives the units they list; one without, every folder under it holding a <c>run.json</c>.
    /// </summary>
    /// <exception cref="InputException">
    /// One line naming the folder and the reason: a missing folder; a shard of another plan (other definitions,
    /// selection, shard count or settings); a shard missing or unfinished (a listed unit without <c>run.json</c>);
    /// a seed folder without <c>run.json</c>; results of different builds, package versions or thread counts, or
    /// of different definitions of one experiment; the same unit in two folders with different bytes.
    /// </exception>
    public static MergePlan Prepare(IReadOnlyList<string> sources)
    {
        if (sources.Count == 0) throw new InputException("merge: name at least one results folder to merge");
        var manifests = new List<(string Source, string Path, ShardManifest Manifest)>();
        var units = new SortedDictionary<string, MergedUnit>(StringComparer.Ordinal);
        foreach (string given in sources)
        {
            string source = Path.TrimEndingDirectorySeparator(given);
            if (!Directory.Exists(source)) throw new InputException($"{given}: no such folder");
            var own = ShardManifest.In(source);
            IEnumerable<string> folders;
            if (own.Count > 0)
            {
                manifests.AddRange(own.Select(m => (source, m.Path, m.Manifest)));
                foreach (var (path, manifest) in own)
                    foreach (var unit in manifest.Units)
                        if (!File.Exists(Path.Combine(source, unit.Folder, SeedFiles.Run)))
                            throw new InputException($"{source}: incomplete: shard {manifest.Shard}/{manifest.Of} ({Path.GetFileName(path)}) has no finished "
                                + $"{unit.Experiment} seed {unit.Seed.ToString(CultureInfo.InvariantCulture)} ({unit.Folder}/{SeedFiles.Run} missing); "
                                + $"resume it with `{manifest.Command}`");
                folders = own.SelectMany(m => m.Manifest.Units.Select(u => u.Folder));
            }
            else
            {
                folders = FinishedUnder(source);
                if (!folders.Any()) throw new InputException($"{source}: holds no finished results (no {SeedFiles.Run} under it) and no shard manifest");
            }
            foreach (string folder in folders.Distinct(StringComparer.Ordinal))
            {
                if (units.TryGetValue(folder, out var first))
                {
                    if (first.Source == source) continue;
                    if (Difference(Path.Combine(first.Source, folder), Path.Combine(source, folder)) is { } differs)
                        throw new InputException($"{Path.Combine(source, folder)}: the same unit as {Path.Combine(first.Source, folder)} with different bytes ({differs}); "
                            + "merge one of them, or rerun the unit");
                    continue;
                }
                units[folder] = new MergedUnit(source, folder);
            }
        }
        string? plan = CheckShards(manifests);
        CheckIdentities(units.Values);
        return new MergePlan(units.Values.ToArray(), manifests.Count, plan);
    }

    /// <summary>
    /// Writes the merge into <paramref name="target"/> through a staging copy (<see cref="StagedFolder"/>): what the
    /// target held is kept, each merged unit's seed folder replaces its namesake, and the copy replaces the target
    /// only once complete. The caller holds the target's <see cref="ResultsLock"/>.
    /// </summary>
    public static void Apply(MergePlan plan, string target)
    {
        string staging = StagedFolder.Begin(target);
        try
        {
            foreach (var unit in plan.Units)
            {
                string to = Path.Combine(staging, unit.Folder);
                if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
                CopyTree(Path.Combine(unit.Source, unit.Folder), to);
            }
            StagedFolder.Commit(target);
        }
        catch
        {
            StagedFolder.Abandon(target);
            throw;
        }
    }

    /// <summary>
    /// Moves each unit's seed folder into <paramref name="target"/> (one rename each, same file system), replacing
    /// its namesake: for a run's own worker folders, whose units the target then holds as if computed in place.
    /// </summary>
    public static void MoveInto(MergePlan plan, string target)
    {
        foreach (var unit in plan.Units)
        {
            string to = Path.Combine(target, unit.Folder);
            if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            Directory.Move(Path.Combine(unit.Source, unit.Folder), to);
        }
    }

    /// <summary>Every folder under <paramref name="root"/> holding a run.json, relative and '/' separated; refuses a seed folder without one.</summary>
    static IEnumerable<string> FinishedUnder(string root)
    {
        var found = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, dir).Replace(Path.DirectorySeparatorChar, '/');
            // A seed's staging or previous copy (.seed-S.partial, .seed-S.previous) is not a result.
            if (relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            if (File.Exists(Path.Combine(dir, SeedFiles.Run))) found.Add(relative);
            else if (IsSeedFolderName(Path.GetFileName(dir)) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new InputException($"{dir}: incomplete: a seed folder without {SeedFiles.Run} (its run was interrupted); rerun it or remove the folder");
        }
        return found;
    }

    static bool IsSeedFolderName(string name)
    {
        int dash = name.LastIndexOf('-');
        return dash > 0 && name[..dash].EndsWith("seed", StringComparison.Ordinal) && long.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>Every manifest is of one plan, and every shard of it is present; returns the plan's identity.</summary>
    static string? CheckShards(List<(string Source, string Path, ShardManifest Manifest)> manifests)
    {
        if (manifests.Count == 0) return null;
        var (firstSource, firstPath, first) = manifests[0];
        foreach (var (_, path, m) in manifests.Skip(1))
            if (m.Plan != first.Plan || m.Of != first.Of)
                throw new InputException($"{path}: shard {m.Shard}/{m.Of} of plan {m.Plan[..16]} ({m.PlanUnits} units), but {firstPath} is shard {first.Shard}/{first.Of} "
                    + $"of plan {first.Plan[..16]} ({first.PlanUnits} units): different definitions, experiments, seeds, --quick or shard counts; merge shards of one plan");
        var missing = Enumerable.Range(1, first.Of).Except(manifests.Select(m => m.Manifest.Shard)).ToArray();
        if (missing.Length > 0)
            throw new InputException($"{firstSource}: incomplete: shard{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Select(i => $"{i}/{first.Of}"))} "
                + $"of plan {first.Plan[..16]} in none of the folders given; run {(missing.Length > 1 ? "them" : "it")} like "
                + $"`{first.Command.Replace($"--shard {first.Shard}/{first.Of}", $"--shard {missing[0]}/{first.Of}", StringComparison.Ordinal)}` (each into a folder of its own) and merge all {first.Of}");
        int total = manifests.DistinctBy(m => m.Manifest.Shard).Sum(m => m.Manifest.Units.Count);
        if (total != first.PlanUnits)
            throw new InputException($"{firstPath}: the shards of plan {first.Plan[..16]} list {total} units, not the plan's {first.PlanUnits}; a manifest was edited or damaged");
        return first.Plan;
    }

    /// <summary>All units come from one build, package set and thread count, and each experiment from one definition.</summary>
    static void CheckIdentities(IEnumerable<MergedUnit> units)
    {
        (string Where, RunRecord Record)? first = null;
        var definitions = new Dictionary<string, (string Where, string Hash)>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            string where = Path.Combine(unit.Source, unit.Folder, SeedFiles.Run);
            var record = RunRecord.Read(where) ?? throw new InputException($"{where}: missing");
            if (first is not { } f) first = (where, record);
            else
            {
                string? differs = record.Code != f.Record.Code ? $"code {Short(record.Code)} against {Short(f.Record.Code)}"
                    : record.Versions != f.Record.Versions ? $"packages {record.Versions} against {f.Record.Versions}"
                    : record.Threads != f.Record.Threads ? $"--threads {record.Threads} against {f.Record.Threads}"
                    : null;
                if (differs is not null)
                    throw new InputException($"{where}: made by another build than {f.Where} ({differs}); results merged into one folder must come from one build and thread count: rerun the shards with one");
            }
            if (definitions.TryGetValue(record.Experiment, out var seen) && seen.Hash != record.DefinitionHash)
                throw new InputException($"{where}: {record.Experiment} from another definition than {seen.Where} (definition {Short(record.DefinitionHash)} against {Short(seen.Hash)}); rerun the shards from one definition");
            definitions.TryAdd(record.Experiment, (where, record.DefinitionHash));
        }
    }

    static string Short(string? hash) => hash is null ? "(none recorded)" : hash.Length > 12 ? hash[..12] : hash;

    /// <summary>The first difference between two folder trees (a file on one side only, or different bytes), or null.</summary>
    static string? Difference(string a, string b)
    {
        var left = Files(a);
        var right = Files(b);
        if (left.Except(right, StringComparer.Ordinal).FirstOrDefault() is { } onlyA) return $"{onlyA} only in the first";
        if (right.Except(left, StringComparer.Ordinal).FirstOrDefault() is { } onlyB) return $"{onlyB} only in the second";
        foreach (string file in left)
            if (!SameBytes(Path.Combine(a, file), Path.Combine(b, file))) return $"{file} differs";
        return null;
    }

    static string[] Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToArray();

    static bool SameBytes(string a, string b)
    {
        var fa = new FileInfo(a);
        var fb = new FileInfo(b);
        if (fa.Length != fb.Length) return false;
        using var sa = fa.OpenRead();
        using var sb = fb.OpenRead();
        var ba = new byte[1 << 16];
        var bb = new byte[1 << 16];
        while (true)
        {
            int na = sa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            int nb = sb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb))) return false;
            if (na == 0) return true;
        }
    }

    static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
