using System.Text.Json;
using Repro.Results;
using Repro.Training;

namespace Repro.Runs;

/// <summary>
/// What trained weights were made from. A stored network is reused only when every field
/// matches the run that asks for it; otherwise it is retrained.
/// </summary>
public sealed record WeightsSidecar(
    string DefinitionHash, long Seed, bool Quick, int Threads, int Steps, string Versions,
    double FinalLoss, double Seconds, double StepsPerSecond)
{
    /// <summary>The code identity of the build that trained the weights (null in sidecars older than it: never reused).</summary>
    public string? Code { get; init; }
}

/// <summary>Saves and loads a <see cref="ScoreNetwork"/> beside its <see cref="WeightsSidecar"/>, atomically.</summary>
public static class WeightsStore
{
    /// <summary>File name of the weights.</summary>
    public const string WeightsFile = SeedFiles.Weights;

    /// <summary>File name of the sidecar.</summary>
    public const string SidecarFile = SeedFiles.WeightsSidecar;

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The stored sidecar in <paramref name="folder"/> if it matches the request exactly, else null.</summary>
    public static WeightsSidecar? FindReusable(string folder, string definitionHash, long seed, bool quick, int threads, string versions, string code)
    {
        string sidecarPath = Path.Combine(folder, SidecarFile);
        if (!File.Exists(sidecarPath) || !File.Exists(Path.Combine(folder, WeightsFile))) return null;
        WeightsSidecar? stored;
        try
        {
            stored = JsonSerializer.Deserialize<WeightsSidecar>(File.ReadAllText(sidecarPath));
        }
        catch (JsonException)
        {
            return null;
        }
        return stored is not null && stored.DefinitionHash == definitionHash && stored.Seed == seed
               && stored.Quick == quick && stored.Threads == threads && stored.Versions == versions && stored.Code == code
            ? stored
            : null;
    }

    /// <summary>Loads stored weights into <paramref name="model"/>.</summary>
    public static void Load(string folder, ScoreNetwork model) => model.load(Path.Combine(folder, WeightsFile));

    /// <summary>Saves weights then sidecar (the sidecar last: a missing sidecar means "not reusable").</summary>
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
