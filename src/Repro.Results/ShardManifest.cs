using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Repro.Core;

namespace Repro.Results;

/// <summary>One unit a shard is to compute: its identity and its result folder relative to the results folder.</summary>
/// <param name="Id">The unit's identity (64 hex digits; <c>repro plan</c> prints its first 16).</param>
/// <param name="Experiment">Experiment name (a sweep variant's <c>BASE/sweep/PARAM-VALUE</c>).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Folder">Result folder relative to the results folder, '/' separated (<c>NAME/seed-S</c>).</param>
public sealed record ShardUnit(string Id, string Experiment, long Seed, string Folder);

/// <summary>
/// <c>shard-I-of-N.json</c> at the root of a shard's results folder, written by <c>repro run --shard I/N</c>
/// before its first unit: which plan the shard belongs to and which units it owes, so that <c>repro merge</c>
/// can tell a missing shard, an unfinished one and shards of different plans apart. <c>merge</c> copies the
/// units, never this file, so a merged folder holds exactly what a one-process run writes.
/// </summary>
public sealed record ShardManifest
{
    /// <summary>The file format (1).</summary>
    public int Format { get; init; } = 1;
    /// <summary>This shard's number, 1 ≤ Shard ≤ Of.</summary>
    public required int Shard { get; init; }
    /// <summary>How many shards the plan is cut into.</summary>
    public required int Of { get; init; }
    /// <summary>The plan's identity (SHA-256 of every unit identity of all shards, in run order).</summary>
    public required string Plan { get; init; }
    /// <summary>How many units the whole plan holds (all shards).</summary>
    public required int PlanUnits { get; init; }
    /// <summary>The code identity of the build that ran the shard.</summary>
    public required string Code { get; init; }
    /// <summary>libtorch threads of every unit.</summary>
    public required int Threads { get; init; }
    /// <summary>Quick settings.</summary>
    public required bool Quick { get; init; }
    /// <summary>The command that runs (and resumes) this shard, as it was started.</summary>
    public required string Command { get; init; }
    /// <summary>The units this shard owes, in run order.</summary>
    public required IReadOnlyList<ShardUnit> Units { get; init; }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    static readonly Regex Name = new(@"^shard-([0-9]+)-of-([0-9]+)\.json$", RegexOptions.CultureInvariant);

    /// <summary>The manifest's file name: <c>shard-I-of-N.json</c>.</summary>
    public static string FileName(int shard, int of) => string.Create(CultureInfo.InvariantCulture, $"shard-{shard}-of-{of}.json");

    /// <summary>Writes the manifest into <paramref name="folder"/> (atomically) and returns its path.</summary>
    public string Write(string folder)
    {
        string path = Path.Combine(folder, FileName(Shard, Of));
        AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json) + "\n");
        return path;
    }

    /// <summary>Every shard manifest at the root of <paramref name="folder"/>, by file name.</summary>
    /// <exception cref="InputException">A manifest that cannot be read, or whose name and content disagree.</exception>
    public static IReadOnlyList<(string Path, ShardManifest Manifest)> In(string folder)
    {
        var found = new List<(string, ShardManifest)>();
        if (!Directory.Exists(folder)) return found;
        foreach (string path in Directory.EnumerateFiles(folder, "shard-*-of-*.json").Order(StringComparer.Ordinal))
        {
            if (!Name.IsMatch(Path.GetFileName(path))) continue;
            ShardManifest? manifest;
            try
            {
                manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path));
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                throw new InputException($"{path}: not a shard manifest ({e.Message.Split('.')[0]})");
            }
            if (manifest is null || manifest.Units is null || manifest.Plan is null)
                throw new InputException($"{path}: not a shard manifest (no plan or units)");
            if (Path.GetFileName(path) != FileName(manifest.Shard, manifest.Of))
                throw new InputException($"{path}: names shard {manifest.Shard}/{manifest.Of} inside; the file was renamed or damaged");
            found.Add((path, manifest));
        }
        return found;
    }
}
