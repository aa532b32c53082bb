using System.Security.Cryptography;
using System.Text;

namespace Repro.Results.Tests;

public sealed class SeedCacheTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-cache-").FullName;
    readonly SeedCache _cache;
    readonly string _seed;

    static readonly SeedIdentity Identity = new("exp", 1, new string('d', 64), new string('c', 64), "TorchSharp 0.107.0, libtorch 2.10.0.0", 1, true, "none", "linux-x64; CPU");

    public SeedCacheTests()
    {
        _cache = new SeedCache(Path.Combine(_dir, ".repro-cache"));
        _seed = Path.Combine(_dir, "reports", "exp", "quick-seed-1");
        WriteSeed(_seed);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A finished seed folder: a run record, metrics and a binary file.</summary>
    static void WriteSeed(string folder)
    {
        Directory.CreateDirectory(folder);
        new RunRecord
        {
            Experiment = "exp", DefinitionHash = new string('d', 64), Seed = 1, Quick = true, Threads = 1,
            Versions = Identity.Versions, Code = Identity.Code, Status = RunStatus.Ok, Seconds = 1.5,
        }.Write(Path.Combine(folder, SeedFiles.Run));
        File.WriteAllText(Path.Combine(folder, SeedFiles.Metrics), "experiment,seed,reconstruction,reference,metric,value\nexp,1,fb,p0,ks-statistic,0.0125\n");
        File.WriteAllBytes(Path.Combine(folder, SeedFiles.Weights), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
    }

    static SortedDictionary<string, string> Snapshot(string folder) => new(
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    string Restored => Path.Combine(_dir, "fresh", "exp", "quick-seed-1");

    [Fact]
    public void The_key_is_the_sha256_of_every_field_and_changes_with_each()
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            "experiment=exp\nseed=1\ndefinition=" + new string('d', 64) + "\ncode=" + new string('c', 64)
            + "\nversions=TorchSharp 0.107.0, libtorch 2.10.0.0\nthreads=1\nquick=true\nfault=none\nplatform=linux-x64; CPU\n"))), Identity.Key);
        SeedIdentity[] changed =
        [
            Identity with { Experiment = "exp2" }, Identity with { Seed = 2 }, Identity with { DefinitionHash = new string('e', 64) },
            Identity with { Code = new string('f', 64) }, Identity with { Versions = "TorchSharp 0.108.0" }, Identity with { Threads = 2 },
            Identity with { Quick = false }, Identity with { Fault = "flippedscore" }, Identity with { Platform = "linux-arm64" },
        ];
        Assert.Equal(changed.Length + 1, changed.Select(i => i.Key).Append(Identity.Key).Distinct().Count());
    }

    [Fact]
    public void A_stored_seed_is_restored_byte_for_byte_into_an_empty_folder()
    {
        Assert.Null(_cache.Store(Identity, _seed));
        Directory.CreateDirectory(Restored);
        File.WriteAllText(Path.Combine(Restored, "stale.csv"), "from an older run\n");

        var found = _cache.Restore(Identity, Restored);

        Assert.NotNull(found.Record);
        Assert.Null(found.Problem);
        Assert.Equal(1.5, found.Record.Seconds);
        Assert.Equal(Path.Combine(_cache.Folder, Identity.Key), found.Entry);
        Assert.Equal(Snapshot(_seed), Snapshot(Restored));
        Assert.Equal([Identity.Key], Directory.GetFileSystemEntries(_cache.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Another_identity_misses()
    {
        Assert.Null(_cache.Store(Identity, _seed));

        var found = _cache.Restore(Identity with { Code = new string('f', 64) }, Restored);

        Assert.Null(found.Record);
        Assert.Null(found.Problem);
        Assert.False(Directory.Exists(Restored));
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "changed", "weights.bin: SHA-256 differs from the manifest" },
        { "missing", "metrics.csv missing" },
        { "manifest", "manifest.json unreadable" },
        { "foreign", "manifest.json is for another identity" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_entry_is_not_restored_and_names_the_reason(string damage, string reason)
    {
        Assert.Null(_cache.Store(Identity, _seed));
        string entry = _cache.EntryOf(Identity);
        switch (damage)
        {
            case "changed":
                var bytes = File.ReadAllBytes(Path.Combine(entry, SeedFiles.Weights));
                bytes[100] ^= 1;
                File.WriteAllBytes(Path.Combine(entry, SeedFiles.Weights), bytes);
                break;
            case "missing":
                File.Delete(Path.Combine(entry, SeedFiles.Metrics));
                break;
            case "manifest":
                File.WriteAllText(Path.Combine(entry, SeedCache.ManifestFile), "{ \"Format\": 1, ");
                break;
            case "foreign":
                // Another seed's entry put where this one belongs.
                var other = Identity with { Seed = 2 };
                Assert.Null(_cache.Store(other, _seed));
                Directory.Delete(entry, recursive: true);
                Directory.Move(_cache.EntryOf(other), entry);
                break;
        }

        var found = _cache.Restore(Identity, Restored);

        Assert.Null(found.Record);
        Assert.StartsWith(reason, found.Problem);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Restored)); // nothing half-restored
        // The recomputed seed replaces the damaged entry.
        Assert.Null(_cache.Store(Identity, _seed, replace: true));
        Assert.NotNull(_cache.Restore(Identity, Restored).Record);
        Assert.Equal(Snapshot(_seed), Snapshot(Restored));
    }

    [Fact]
    public void Runs_storing_the_same_seed_at_once_leave_one_whole_entry_and_no_temporary_folder()
    {
        var results = new string?[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, i => results[i] = _cache.Store(Identity, _seed, replace: i % 2 == 0));

        Assert.All(results, Assert.Null);
        Assert.Equal([Identity.Key], Directory.GetFileSystemEntries(_cache.Folder).Select(Path.GetFileName));
        Assert.NotNull(_cache.Restore(Identity, Restored).Record);
        Assert.Equal(Snapshot(_seed), Snapshot(Restored));
    }

    [Fact]
    public void A_temporary_folder_left_by_a_killed_run_is_removed_by_the_next_store_and_never_read()
    {
        // A process that no longer exists (pid above the kernel's pid_max) was killed mid-store.
        string abandoned = Path.Combine(_cache.Folder, ".tmp-2147483646-0123");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, SeedFiles.Run), "{ half");
        // One of a live process (this one) is left alone: it may be mid-store.
        string live = Path.Combine(_cache.Folder, $".tmp-{Environment.ProcessId}-4567");
        Directory.CreateDirectory(live);

        Assert.Null(_cache.Restore(Identity, Restored).Record);
        Assert.Null(_cache.Store(Identity, _seed));

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(live));
        Assert.NotNull(_cache.Restore(Identity, Restored).Record);
    }

    [Fact]
    public void The_cache_sits_beside_the_results_folder()
    {
        Assert.Equal(Path.Combine(_dir, ".repro-cache"), SeedCache.Beside(Path.Combine(_dir, "reports")).Folder);
        Assert.Equal(Path.Combine(_dir, ".repro-cache"), SeedCache.Beside(Path.Combine(_dir, "reports") + "/").Folder);
    }
}
