using System.Text.Json;
using System.Text.Json.Serialization;
using Repro.Core.Calibration;

namespace Repro.Results;

/// <summary>
/// <c>calibration.json</c> in a results folder: the last <c>repro calibrate</c> result (budget, every
/// gate's simulated null, the power table), which the report renders and <c>results.json</c> carries.
/// </summary>
public static class CalibrationStore
{
    /// <summary>File name inside the results folder.</summary>
    public const string FileName = "calibration.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Writes <paramref name="result"/> atomically to <c>folder/calibration.json</c>.</summary>
    public static void Write(string folder, CalibrationResult result)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(result, Json) + "\n");
    }

    /// <summary>The stored calibration of <paramref name="folder"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be read as a calibration.</exception>
    public static CalibrationResult? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CalibrationResult>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty calibration");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a calibration ({e.Message})", e);
        }
    }
}
