namespace Repro.Runs;

/// <summary>
/// <c>run.json</c>: what one experiment × seed was made from and how it went. Written last, so a
/// folder with a <c>run.json</c> whose hash matches the definition holds a finished run.
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
    /// <summary>The code identity (<see cref="CodeIdentity.Hash"/>) of the build that computed this run; null in records older than it.</summary>
    public string? Code { get; init; }
    /// <summary><c>ok</c> or <c>diverged</c>.</summary>
    public required string Status { get; init; }
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
    /// <summary>True when this record was read back (same definition, code, packages, threads, quick), not computed now; never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Reused { get; init; }
}

/// <summary>Per-run training figures.</summary>
public sealed record TrainingSummary(
    int Steps, double FinalLoss, double LossFloor, double LossFloorStandardError, double ExcessOverFloor,
    double Seconds, double StepsPerSecond, bool Reused);

/// <summary>Per-reconstruction figures.</summary>
public sealed record ReconstructionSummary(string Name, int Particles, int Steps, double Seconds, double ScoreSigma);
