using System.Text;
using System.Text.Json;

namespace Repro.Core.Definitions.Json;

/// <summary>
/// Parses strict JSON (no comments, no trailing commas, no NaN/Infinity, no duplicate keys)
/// into <see cref="JsonValueNode"/>s that remember where they start, and maps byte offsets to
/// 1-based line and column.
/// </summary>
public sealed class PositionedJsonParser
{
    readonly byte[] _utf8;
    readonly string _file;

    /// <summary>Prepares to parse <paramref name="utf8"/>, reporting errors against <paramref name="file"/>.</summary>
    public PositionedJsonParser(byte[] utf8, string file)
    {
        // A UTF-8 byte-order mark is legal in files editors write; Parse skips it and Position
        // does not count it as a column.
        _utf8 = utf8;
        _file = file;
    }

    /// <summary>The file the text came from, as the user named it (a data file a definition names is found beside it).</summary>
    public string File => _file;

    /// <summary>Parses the whole document; throws <see cref="DefinitionException"/> on malformed JSON.</summary>
    public JsonValueNode Parse()
    {
        int start = _utf8.Length >= 3 && _utf8[0] == 0xEF && _utf8[1] == 0xBB && _utf8[2] == 0xBF ? 3 : 0;
        // Utf8JsonReader reports an empty document as "does not contain any JSON tokens ...
        // when isFinalBlock is true"; say it plainly instead.
        if (_utf8.AsSpan(start).Trim(" \t\r\n"u8).IsEmpty) throw Error(start, "$", "the file is empty");
        var reader = new Utf8JsonReader(_utf8.AsSpan(start), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = 64,
        });
        try
        {
            reader.Read();
            JsonValueNode root = ReadValue(ref reader, start, "$");
            if (reader.Read())
                throw Error(start + reader.TokenStartIndex, "$", "unexpected content after the top-level value");
            return root;
        }
        catch (JsonException e)
        {
            // The reader counts lines from 0 and columns in bytes; map back to a byte offset so
            // that the column counts characters like every other error.
            long offset = OffsetOf(start, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            throw Error(offset, "$", "malformed JSON: " + Explain(e, offset));
        }
    }

    JsonValueNode ReadValue(ref Utf8JsonReader reader, int start, string path)
    {
        long offset = start + reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var members = new List<(string, long, JsonValueNode)>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    long keyOffset = start + reader.TokenStartIndex;
                    string key = reader.GetString()!;
                    string childPath = path + "." + JsonText.Escape(key);
                    if (!seen.Add(key)) throw Error(keyOffset, childPath, "duplicate key");
                    reader.Read();
                    members.Add((key, keyOffset, ReadValue(ref reader, start, childPath)));
                }
                return new JsonValueNode(JsonKind.Object, offset, members: members);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<JsonValueNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, start, $"{path}[{items.Count}]"));
                return new JsonValueNode(JsonKind.Array, offset, items: items);
            }
            case JsonTokenType.String:
                return new JsonValueNode(JsonKind.String, offset, reader.GetString());
            case JsonTokenType.Number:
                return new JsonValueNode(JsonKind.Number, offset, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new JsonValueNode(JsonKind.True, offset);
            case JsonTokenType.False:
                return new JsonValueNode(JsonKind.False, offset);
            default:
                return new JsonValueNode(JsonKind.Null, offset);
        }
    }

    /// <summary>System.Text.Json's reason, in words for someone editing the file.</summary>
    string Explain(JsonException e, long offset)
    {
        var rest = _utf8.AsSpan((int)offset);
        if (rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8))
            return "NaN and Infinity are not JSON numbers";
        string reason = e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
        if (reason.Contains("trailing comma", StringComparison.Ordinal))
            return "trailing comma before the closing bracket";
        return reason;
    }

    long OffsetOf(int start, long line, long byteInLine)
    {
        long offset = start;
        for (long seen = 0; seen < line && offset < _utf8.Length; offset++)
            if (_utf8[offset] == (byte)'\n') seen++;
        return Math.Min(offset + byteInLine, _utf8.Length);
    }

    /// <summary>1-based (line, column) of a byte offset; columns count characters, not bytes.</summary>
    public (int Line, int Column) Position(long offset)
    {
        int line = 1;
        long lineStart = 0;
        for (long i = 0; i < offset && i < _utf8.Length; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        if (lineStart == 0 && offset >= 3 && _utf8.Length >= 3 && _utf8[0] == 0xEF && _utf8[1] == 0xBB && _utf8[2] == 0xBF)
            lineStart = 3; // the byte-order mark is not a column
        int column = Encoding.UTF8.GetCharCount(_utf8, (int)lineStart, (int)(offset - lineStart)) + 1;
        return (line, column);
    }

    /// <summary>An error located at a byte offset.</summary>
    public DefinitionException Error(long offset, string path, string reason)
    {
        var (line, column) = Position(offset);
        return new DefinitionException(_file, line, column, path, reason);
    }
}
