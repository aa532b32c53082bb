using System.Text.Json;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// <c>run.json</c>: what one experiment × seed was made from and how it went. Written last, so a
/// folder with a <c>run.json</c> whose hash matches the definition holds a finished run. Read and
/// written by <see cref="Read"/> and <see cref="Write"/> only (indented JSON, property names as declared).
/// </summary>
public sealed record RunRecord
{
    /// <summary>Experiment name.</summary>
    public required string Experiment { get; init; }
    /// <summary>SHA-256 of the definition file.</summary>
    public required string DefinitionHash { get; init; }
    /// <summary>The training seed (a replicate).</summary>
    public required long Seed { get; init; }
    /// <summary>Quick settings used.</summary>
    public required bool Quick { get; init; }
    /// <summary>libtorch threads.</summary>
    public required int Threads { get; init; }
    /// <summary>Package versions that shape the numbers.</summary>
    public required string Versions { get; init; }
    /// <summary>The code identity (Repro.Runs' <c>CodeIdentity.Hash</c>) of the build that computed this run; null in records older than it.</summary>
    public string? Code { get; init; }
    /// <summary>How the run ended (stored as <c>"ok"</c> or <c>"diverged"</c>).</summary>
    public required RunStatus Status { get; init; }
    /// <summary>Step at which the loss (or a sampler's particles) became non-finite, if it did.</summary>
    public int? DivergedAtStep { get; init; }
    /// <summary>What diverged: <c>training</c> or <c>sampling NAME</c> (null when nothing did).</summary>
    public string? DivergedIn { get; init; }
    /// <summary>Training summary, when a network was trained or reused.</summary>
    public TrainingSummary? Training { get; init; }
    /// <summary>Reconstructions that were sampled, with their sizes and timings.</summary>
    public IReadOnlyList<ReconstructionSummary> Reconstructions { get; init; } = [];
    /// <summary>Wall time of the whole seed, seconds.</summary>
    public double Seconds { get; init; }
    /// <summary>True when this record was restored from the local cache (same identity: <see cref="SeedIdentity"/>), not computed now; never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Reused { get; init; }
    /// <summary>The local cache entry this run was restored from or stored in (null: no cache); never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? CacheEntry { get; init; }
    /// <summary>Why the cache was not used for this run (a damaged entry, a failed store), one line; never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? CacheNote { get; init; }

    /// <summary>
    /// How a diverged run stopped, as check, the page and JUnit word it: <c>diverged in sampling NAME at step N</c> or
    /// <c>diverged in training at step N</c>; null for a finished run.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Divergence => Status != RunStatus.Diverged ? null
        : $"diverged in {DivergedIn ?? "an unrecorded stage"}" + (DivergedAtStep is int step ? $" at step {step.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "");

    /// <summary>True when the run finished (<see cref="RunStatus.Ok"/>): it has metrics, samples and figures.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Finished => Status == RunStatus.Ok;

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The record in <paramref name="path"/>, or null when there is none (the run has not finished).</summary>
    /// <exception cref="InputException">The file is not a run record (one line naming the file).</exception>
    public static RunRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path))
                ?? throw new InputException($"{path}: not a run record (null)");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a run record ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>Writes this record to <paramref name="path"/> atomically (indented JSON and a final line break).</summary>
    public void Write(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json) + "\n");
}

