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

    /// <summary>The identity (lower-case hex SHA-256) of definition bytes that parse as JSON.</summary>
    /// <exception cref="JsonException">The bytes are not JSON (callers validate first).</exception>
    public static string Of(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var sb = new StringBuilder();
        sb.Append('{');
        bool first = true;
        foreach (var property in document.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (Ignored.Contains(property.Name)) continue;
            if (!first) sb.Append(',');
            first = false;
            sb.Append(JsonSerializer.Serialize(property.Name)).Append(':');
            if (property.Name == "reconstructions") Write(sb, property.Value, dropKey: "description");
            else Write(sb, property.Value, dropKey: null);
        }
        sb.Append('}');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Writes <paramref name="e"/> canonically; <paramref name="dropKey"/> is left out of the objects of an array (reconstructions' prose).</summary>
    static void Write(StringBuilder sb, JsonElement e, string? dropKey, bool inArray = false)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                bool first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (inArray && p.Name == dropKey) continue;
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(p.Name)).Append(':');
                    Write(sb, p.Value, null);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(sb, item, dropKey, inArray: dropKey is not null);
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
