using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The identity of a definition as far as numbers are concerned: SHA-256 of a canonical form of the
/// parts that shape a seed's results, so a stored result is reused (and re-gated in seconds) after an
/// edit that cannot change it, and refused after one that can.
/// </summary>
/// <remarks>
/// <para>
/// Kept: <c>name</c> (it is written into every metric row), <c>data</c>, <c>model</c>, <c>training</c>,
/// <c>reconstructions</c> (without their <c>description</c>), <c>evaluation</c> and <c>quick</c>.
/// Left out: <c>$schema</c>, <c>description</c>, <c>reproduces</c> (prose), <c>gates</c> (thresholds
/// judge results, they do not make them), <c>seeds</c> (each seed's streams depend on its own value
/// only, so adding a seed does not change the others) and <c>sweep</c> (each variant has its own
/// identity, <see cref="SweepDefinition"/>).
/// </para>
/// <para>
/// Canonical form: object keys sorted ordinally, no whitespace, strings as JSON strings, numbers as
/// their float64 value printed round-trip ("R"), so <c>0.5</c>, <c>0.50</c> and <c>5e-1</c> agree.
/// </para>
/// </remarks>
public static class DefinitionIdentity
{
    /// <summary>Top-level keys that do not shape results.</summary>
    public static readonly IReadOnlySet<string> Ignored = new HashSet<string>(StringComparer.Ordinal)
        { "$schema", "description", "reproduces", "gates", "seeds", "sweep" };

    /// <summary>
    /// Optional fields written with their default value, which shape nothing that omitting them does not: left
    /// out of the canonical form, so <c>"conditioning": { "kind": "none" }</c> hashes like no conditioning at all.
    /// Paths are dotted from the top, <c>[]</c> standing for any item of an array; values in canonical form.
    /// Defaults that depend on another part (a score's σ is the training σ, a particle shape the one its
    /// components imply) are not constants and stay in the hash when written.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["model.conditioning"] = "{\"kind\":\"none\"}", // ConditioningDefinition.Read: absent is NoConditioning
        ["model.indexFrequencies"] = "0", // EgnnDefinition.Read
        ["training.scheduler.window"] = "1", // SchedulerDefinition.Read
        ["reconstructions[].track"] = "0", // ReconstructionDefinition.Read
        ["reconstructions[].stepLadder"] = "[]", // ReconstructionDefinition.Read
        ["reconstructions[].sampler.denoise"] = "false", // reverse-sde, predictor-corrector, probability-flow
        ["reconstructions[].sampler.correctorSteps"] = "1", // PredictorCorrectorSampler.Read
        ["reconstructions[].sampler.corrector"] = "\"mala\"", // PredictorCorrectorSampler.Read
        ["reconstructions[].sampler.correctorSigmaMin"] = "0", // PredictorCorrectorSampler.Read
        ["evaluation.mmdSize"] = "1000", // EvaluationDefinition
    };

    /// <summary>The identity (lower-case hex SHA-256) of definition bytes that parse as JSON.</summary>
    /// <exception cref="JsonException">The bytes are not JSON (callers validate first).</exception>
    public static string Of(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(document.RootElement))));
    }

    /// <summary>
    /// <paramref name="identity"/> itself when no component reads outside data (every null), else the SHA-256 of it joined
    /// with each component's <see cref="ComponentDefinition.ExternalIdentity"/> (a data file's SHA-256), so editing the
    /// file changes the identity as editing the definition would.
    /// </summary>
    public static string WithExternalData(string identity, IEnumerable<string?> external)
    {
        var parts = external.ToArray();
        if (parts.All(p => p is null)) return identity;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity + "|" + string.Join("|", parts.Select(p => p ?? "")))));
    }

    /// <summary>The canonical form that is hashed: kept top-level keys sorted, prose and explicit defaults left out.</summary>
    public static string Canonical(JsonElement root)
    {
        var sb = new StringBuilder();
        sb.Append('{');
        bool first = true;
        foreach (var property in root.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (Ignored.Contains(property.Name) || IsDefault(property.Name, property.Value)) continue;
            if (!first) sb.Append(',');
            first = false;
            sb.Append(JsonSerializer.Serialize(property.Name)).Append(':');
            Write(sb, property.Value, property.Name);
        }
        sb.Append('}');
        return sb.ToString();
    }

    static bool IsDefault(string path, JsonElement value)
    {
        if (!Defaults.TryGetValue(path, out string? canonical)) return false;
        var sb = new StringBuilder();
        Write(sb, value, path);
        return sb.ToString() == canonical;
    }

    /// <summary>Writes <paramref name="e"/>, found at <paramref name="path"/>, canonically (a reconstruction's <c>description</c> is prose and left out).</summary>
    static void Write(StringBuilder sb, JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                bool first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    string child = path + "." + p.Name;
                    if (child == "reconstructions[].description" || IsDefault(child, p.Value)) continue;
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(p.Name)).Append(':');
                    Write(sb, p.Value, child);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(sb, item, path + "[]");
                }
                sb.Append(']');
                break;
            case JsonValueKind.Number:
                sb.Append(e.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                sb.Append(JsonSerializer.Serialize(e.GetString()));
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }
}
