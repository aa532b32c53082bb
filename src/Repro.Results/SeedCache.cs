using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Repro.Results;

/// <summary>
/// Everything that shapes the numbers of one finished experiment × seed, and so the key of its
/// entry in a <see cref="SeedCache"/>: two runs with equal identities give the same bytes.
/// </summary>
/// <param name="Experiment">Experiment name (a sweep variant's carries its <c>BASE/sweep/PARAM-VALUE</c> path).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="DefinitionHash">The definition's canonical identity (<c>DefinitionIdentity</c>: the parts that shape numbers).</param>
/// <param name="Code">The code identity of the build (Repro.Runs' <c>CodeIdentity.Hash</c>).</param>
/// <param name="Versions">TorchSharp and libtorch versions.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="Quick">Quick settings.</param>
/// <param name="Fault">A calibration fault's name, <c>none</c> for real runs.</param>
/// <param name="Platform">The platform facts libtorch's kernels depend on (runtime identifier and CPU model).</param>
public sealed record SeedIdentity(string Experiment, long Seed, string DefinitionHash, string Code, string Versions,
    int Threads, bool Quick, string Fault, string Platform)
{
    /// <summary>The canonical text the key hashes: one <c>field=value</c> line per field, in declaration order.</summary>
    public string Canonical => string.Create(CultureInfo.InvariantCulture,
        $"experiment={Experiment}\nseed={Seed}\ndefinition={DefinitionHash}\ncode={Code}\nversions={Versions}\nthreads={Threads}\nquick={(Quick ? "true" : "false")}\nfault={Fault}\nplatform={Platform}\n");

    /// <summary>SHA-256 (64 lower-case hex digits) of <see cref="Canonical"/>: the entry's folder name.</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)));
}

/// <summary>What <see cref="SeedCache.Restore"/> found.</summary>
/// <param name="Record">The restored run record (null: nothing restored).</param>
/// <param name="Entry">The entry's folder.</param>
/// <param name="Problem">Why a present entry was not used (null on a hit or a plain miss).</param>
public sealed record CacheLookup(RunRecord? Record, string Entry, string? Problem);

/// <summary>
/// The local cache of finished seeds (<c>.repro-cache/</c>, git-ignored), so that a second run with
/// nothing changed takes seconds and an interrupted one resumes the seeds that had finished; never
/// the published results folder itself. One entry per <see cref="SeedIdentity.Key"/>: a folder
/// <c>KEY/</c> holding the seed folder's files and <c>manifest.json</c> (the identity and every file's
/// SHA-256). An entry is made in a temporary sibling (<c>.tmp-PID-…</c>) and renamed into place in
/// one step, so a killed run leaves either a whole entry or none; two runs that make the same entry
/// at once both succeed, the first rename wins and the other drops its copy. Restoring copies the
/// files into the seed folder and checks every copy against the manifest: a missing file, a hash
/// mismatch or an unreadable manifest makes the entry damaged, reported and recomputed (the new
/// result then replaces it).
/// </summary>
/// <param name="Folder">The cache folder.</param>
public sealed class SeedCache(string Folder)
{
    /// <summary>The cache folder's name beside a results folder.</summary>
    public const string DefaultName = ".repro-cache";

    /// <summary>The manifest's file name inside an entry.</summary>
    public const string ManifestFile = "manifest.json";

    const string TempPrefix = ".tmp-";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The cache folder.</summary>
    public string Folder { get; } = Path.GetFullPath(Folder);

    /// <summary>The cache beside <paramref name="resultsFolder"/>: <c>.repro-cache</c> in its parent (the repository root for <c>reports/</c>).</summary>
    public static SeedCache Beside(string resultsFolder)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(resultsFolder));
        return new SeedCache(Path.Combine(Path.GetDirectoryName(full) ?? full, DefaultName));
    }

    /// <summary>The entry folder of <paramref name="identity"/>.</summary>
    public string EntryOf(SeedIdentity identity) => Path.Combine(Folder, identity.Key);

    /// <summary>The manifest of an entry.</summary>
    sealed record Manifest(int Format, string Key, string Identity, SortedDictionary<string, string> Files);

    /// <summary>
    /// Fills <paramref name="seedFolder"/> (emptied first) with the entry of <paramref name="identity"/>,
    /// checking every copied file against the manifest (<c>run.json</c> last, since it means "finished").
    /// A plain miss leaves the seed folder untouched; a damaged entry leaves it empty.
    /// </summary>
    public CacheLookup Restore(SeedIdentity identity, string seedFolder)
    {
        string entry = EntryOf(identity);
        if (!Directory.Exists(entry)) return new CacheLookup(null, entry, null);
        string? problem = RestoreInto(identity, entry, seedFolder, out var record);
        if (problem is null) return new CacheLookup(record, entry, null);
        Empty(seedFolder);
        return new CacheLookup(null, entry, problem);
    }

    static string? RestoreInto(SeedIdentity identity, string entry, string seedFolder, out RunRecord? record)
    {
        record = null;
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Path.Combine(entry, ManifestFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return $"{ManifestFile} unreadable ({e.Message.Split('.')[0]})";
        }
        if (manifest?.Files is null || manifest.Identity is null) return $"{ManifestFile} unreadable (no files or identity)";
        if (manifest.Key != identity.Key || manifest.Identity != identity.Canonical) return $"{ManifestFile} is for another identity";
        if (!manifest.Files.ContainsKey(SeedFiles.Run)) return $"{ManifestFile} lists no {SeedFiles.Run}";
        if (manifest.Files.Keys.FirstOrDefault(f => f != Path.GetFileName(f) || f == ManifestFile || f.StartsWith('.')) is { } bad)
            return $"{ManifestFile} names \"{bad}\", not a file of a seed folder";
        Empty(seedFolder);
        foreach (var (name, hash) in manifest.Files.OrderBy(f => f.Key == SeedFiles.Run).ThenBy(f => f.Key, StringComparer.Ordinal))
        {
            string source = Path.Combine(entry, name), target = Path.Combine(seedFolder, name);
            try
            {
                File.Copy(source, target, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return File.Exists(source) ? $"{name} unreadable ({e.Message.Split('.')[0]})" : $"{name} missing";
            }
            // The copy is what is checked: an entry changed while it was read cannot slip through.
            if (!string.Equals(HashOf(target), hash, StringComparison.Ordinal)) return $"{name}: SHA-256 differs from the manifest";
        }
        try
        {
            record = RunRecord.Read(Path.Combine(seedFolder, SeedFiles.Run));
        }
        catch (Core.InputException e)
        {
            return $"{SeedFiles.Run} unreadable ({e.Message})";
        }
        return record is null ? $"{SeedFiles.Run} missing" : null;
    }

    /// <summary>
    /// Stores the finished <paramref name="seedFolder"/> as the entry of <paramref name="identity"/>:
    /// copied into a temporary sibling with its manifest, flushed, then renamed into place. An entry
    /// already there is kept (another run made the same result first) unless <paramref name="replace"/>
    /// (it was found damaged). Returns null on success, else why nothing was stored (the run's results
    /// stand either way).
    /// </summary>
    public string? Store(SeedIdentity identity, string seedFolder, bool replace = false)
    {
        string entry = EntryOf(identity);
        string temp = Path.Combine(Folder, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Folder);
            RemoveAbandoned();
            Directory.CreateDirectory(temp);
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string source in Directory.EnumerateFiles(seedFolder))
            {
                string name = Path.GetFileName(source);
                if (name.EndsWith(".tmp", StringComparison.Ordinal)) continue;
                string target = Path.Combine(temp, name);
                using (var from = File.OpenRead(source))
                using (var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                {
                    from.CopyTo(to);
                    to.Flush(flushToDisk: true);
                }
                files[name] = HashOf(target);
            }
            if (!files.ContainsKey(SeedFiles.Run)) return $"{seedFolder}: no {SeedFiles.Run}, not a finished seed";
            var manifest = new Manifest(1, identity.Key, identity.Canonical, files);
            using (var stream = new FileStream(Path.Combine(temp, ManifestFile), FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, manifest, Json);
                stream.Flush(flushToDisk: true);
            }
            if (replace && Directory.Exists(entry))
            {
                string aside = Path.Combine(Folder, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
                try { Directory.Move(entry, aside); }
                catch (IOException) { } // another run moved it first
                if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
            }
            try
            {
                Directory.Move(temp, entry);
            }
            catch (IOException) when (Directory.Exists(entry))
            {
                // Lost a race with a run that made the same entry: its copy stands.
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"not stored in the local cache ({e.Message})";
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                try { Directory.Delete(temp, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    /// <summary>Deletes temporary folders left by runs that were killed (their process is gone).</summary>
    void RemoveAbandoned()
    {
        foreach (string dir in Directory.EnumerateDirectories(Folder, TempPrefix + "*"))
        {
            string name = Path.GetFileName(dir)[TempPrefix.Length..];
            int dash = name.IndexOf('-');
            if (dash < 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || Alive(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // another run is removing it too
        }
    }

    static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    static void Empty(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
    }

    static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
