using System.Text.Json;
using Repro.Results;
using Repro.Training;

namespace Repro.Runs;

/// <summary>
/// What trained weights were made from, stored beside them (<c>weights.json</c>) for whoever loads
/// them later (<c>repro score-check</c>, a reader of the results). Runs never reuse weights from a
/// results folder: a finished seed is reused only whole, from the local cache (<see cref="SeedCache"/>).
/// </summary>
public sealed record WeightsSidecar(
    string DefinitionHash, long Seed, bool Quick, int Threads, int Steps, string Versions,
    double FinalLoss, double Seconds, double StepsPerSecond)
{
    /// <summary>The code identity of the build that trained the weights (null in sidecars older than it).</summary>
    public string? Code { get; init; }
}

/// <summary>Saves a <see cref="ScoreNetwork"/> beside its <see cref="WeightsSidecar"/>, atomically.</summary>
public static class WeightsStore
{
    /// <summary>File name of the weights.</summary>
    public const string WeightsFile = SeedFiles.Weights;

    /// <summary>File name of the sidecar.</summary>
    public const string SidecarFile = SeedFiles.WeightsSidecar;

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Saves weights then sidecar (the sidecar last: a missing sidecar means the weights are not whole).</summary>
    public static void Save(string folder, ScoreNetwork model, WeightsSidecar sidecar)
    {
        Directory.CreateDirectory(folder);
        string sidecarPath = Path.Combine(folder, SidecarFile);
        if (File.Exists(sidecarPath)) File.Delete(sidecarPath);
        string weights = Path.Combine(folder, WeightsFile);
        string tmp = weights + $".{Environment.ProcessId}.tmp";
        model.save(tmp);
        File.Move(tmp, weights, overwrite: true);
        AtomicFile.WriteText(sidecarPath, JsonSerializer.Serialize(sidecar, Json) + "\n");
    }
}
