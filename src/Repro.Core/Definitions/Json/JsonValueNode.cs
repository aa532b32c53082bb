namespace Repro.Core.Definitions.Json;

/// <summary>The kinds of JSON value the definition reader distinguishes.</summary>
public enum JsonKind { Object, Array, String, Number, True, False, Null }

/// <summary>
/// A JSON value with the byte offset where it starts in its file, so that every error can name
/// a line and column. Built by <see cref="PositionedJsonParser"/>; immutable once built.
/// </summary>
public sealed class JsonValueNode
{
    /// <summary>What kind of value this is.</summary>
    public JsonKind Kind { get; }

    /// <summary>Byte offset of the value's first byte in the UTF-8 file.</summary>
    public long Offset { get; }

    /// <summary>The string value, or the number's raw text; null otherwise.</summary>
    public string? Text { get; }

    /// <summary>Object members in file order (key, key offset, value); empty unless an object.</summary>
    public IReadOnlyList<(string Key, long KeyOffset, JsonValueNode Value)> Members { get; }

    /// <summary>Array items in order; empty unless an array.</summary>
    public IReadOnlyList<JsonValueNode> Items { get; }

    internal JsonValueNode(JsonKind kind, long offset, string? text = null,
        IReadOnlyList<(string, long, JsonValueNode)>? members = null, IReadOnlyList<JsonValueNode>? items = null)
    {
        Kind = kind;
        Offset = offset;
        Text = text;
        Members = members ?? [];
        Items = items ?? [];
    }

    /// <summary>How the kind reads in an error message ("a number", "an object", …).</summary>
    public static string Describe(JsonKind kind) => kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => "a string",
        JsonKind.Number => "a number",
        JsonKind.True or JsonKind.False => "a boolean",
        _ => "null",
    };
}
