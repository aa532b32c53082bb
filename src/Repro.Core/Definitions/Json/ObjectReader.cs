using System.Globalization;
using System.Text.RegularExpressions;

namespace Repro.Core.Definitions.Json;

/// <summary>
/// Reads one JSON object of a definition field by field, refusing wrong types, missing fields,
/// non-finite numbers and (through <see cref="Done"/>) unknown keys, each with a located
/// <see cref="DefinitionException"/>. Definition records read themselves through this.
/// </summary>
public sealed class ObjectReader
{
    readonly PositionedJsonParser _parser;
    readonly JsonValueNode _node;
    readonly HashSet<string> _read = new(StringComparer.Ordinal);
    // Every key a reader looked for, present or not: the vocabulary for "did you mean".
    readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    /// <summary>JSONPath of this object, e.g. <c>$.training</c>.</summary>
    public string Path { get; }

    internal ObjectReader(PositionedJsonParser parser, JsonValueNode node, string path)
    {
        _parser = parser;
        _node = node;
        Path = path;
        if (node.Kind != JsonKind.Object)
            throw parser.Error(node.Offset, path, $"must be an object (got {JsonValueNode.Describe(node.Kind)})");
    }

    /// <summary>The definition file this object was read from, as the user named it (relative data paths start from its folder).</summary>
    public string SourceFile => _parser.File;

    /// <summary>The 1-based line of a key's value in the file (of this object's opening brace when the key is absent).</summary>
    public int LineOf(string key) => _parser.Position(Find(key)?.Value.Offset ?? _node.Offset).Line;

    /// <summary>True when the key is present (marks nothing as read).</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>An error at this object's opening brace.</summary>
    public DefinitionException Error(string reason) => _parser.Error(_node.Offset, Path, reason);

    /// <summary>An error at a key's value (or at the object when the key is absent).</summary>
    public DefinitionException Error(string key, string reason)
    {
        var member = Find(key);
        return _parser.Error(member?.Value.Offset ?? _node.Offset, Child(key), reason);
    }

    /// <summary>An error at an item of an array field.</summary>
    public DefinitionException ItemError(string key, int index, string reason)
    {
        var node = Get(key, JsonKind.Array);
        return _parser.Error(node.Items[index].Offset, $"{Child(key)}[{index}]", reason);
    }

    /// <summary>
    /// Refuses any key that no reader asked for: typos must not pass silently. (The top level
    /// reads its optional <c>$schema</c> like any other field, so nested objects cannot carry one.)
    /// </summary>
    public void Done()
    {
        foreach (var (key, keyOffset, _) in _node.Members)
            if (!_read.Contains(key))
                throw _parser.Error(keyOffset, Child(key), Spelling.WithSuggestion("unknown key", key, _asked.Where(k => !_node.Members.Any(m => m.Key == k))));
    }

    /// <summary>A required string, optionally matching <paramref name="pattern"/>.</summary>
    public string String(string key, Regex? pattern = null, string? patternText = null)
    {
        var node = Get(key, JsonKind.String);
        string value = node.Text!;
        if (pattern is not null && !pattern.IsMatch(value))
            throw _parser.Error(node.Offset, Child(key), $"must match {patternText ?? pattern.ToString()} (got {JsonText.Quote(value)})");
        return value;
    }

    /// <summary>An optional string.</summary>
    public string? OptionalString(string key) => Has(key) ? String(key) : null;

    /// <summary>A required string from a closed set.</summary>
    public string Choice(string key, params string[] allowed)
    {
        var node = Get(key, JsonKind.String);
        if (Array.IndexOf(allowed, node.Text) < 0)
            throw _parser.Error(node.Offset, Child(key),
                $"must be one of {string.Join(", ", allowed.Select(a => "\"" + a + "\""))} (got {JsonText.Quote(node.Text!)})");
        return node.Text!;
    }

    /// <summary>A required finite number within [min, max] (bounds inclusive unless stated).</summary>
    public double Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool minExclusive = false, bool maxExclusive = false)
    {
        var node = Get(key, JsonKind.Number);
        return CheckNumber(node, Child(key), min, max, minExclusive, maxExclusive);
    }

    /// <summary>An optional number (null when absent).</summary>
    public double? OptionalNumber(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool minExclusive = false, bool maxExclusive = false) =>
        Has(key) ? Number(key, min, max, minExclusive, maxExclusive) : null;

    /// <summary>A required integer within [min, max].</summary>
    public long Integer(string key, long min, long max)
    {
        var node = Get(key, JsonKind.Number);
        return CheckInteger(node, Child(key), min, max);
    }

    /// <summary>An optional integer (null when absent).</summary>
    public long? OptionalInteger(string key, long min, long max) => Has(key) ? Integer(key, min, max) : null;

    /// <summary>A required boolean.</summary>
    public bool Boolean(string key)
    {
        var member = Find(key) ?? throw Missing(key);
        _read.Add(key);
        return member.Value.Kind switch
        {
            JsonKind.True => true,
            JsonKind.False => false,
            var k => throw _parser.Error(member.Value.Offset, Child(key), $"must be a boolean (got {JsonValueNode.Describe(k)})"),
        };
    }

    /// <summary>A required object.</summary>
    public ObjectReader Object(string key) => new(_parser, Get(key, JsonKind.Object), Child(key));

    /// <summary>The object at item <paramref name="index"/> of an array field, so that an error names a field inside it (<c>$.reconstructions[0].particles</c>).</summary>
    public ObjectReader Item(string key, int index) =>
        new(_parser, Get(key, JsonKind.Array).Items[index], $"{Child(key)}[{index}]");

    /// <summary>An optional object (null when absent).</summary>
    public ObjectReader? OptionalObject(string key) => Has(key) ? Object(key) : null;

    /// <summary>A required array of objects, each read by <paramref name="read"/>; length within [minCount, maxCount].</summary>
    public IReadOnlyList<T> Objects<T>(string key, Func<ObjectReader, T> read, int minCount = 0, int maxCount = int.MaxValue)
    {
        var node = Get(key, JsonKind.Array);
        CheckCount(node, key, minCount, maxCount);
        var list = new List<T>(node.Items.Count);
        for (int i = 0; i < node.Items.Count; i++)
            list.Add(read(new ObjectReader(_parser, node.Items[i], $"{Child(key)}[{i}]")));
        return list;
    }

    /// <summary>A required array of finite numbers.</summary>
    public double[] Numbers(string key, int minCount = 0, int maxCount = int.MaxValue,
        double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var node = Get(key, JsonKind.Array);
        CheckCount(node, key, minCount, maxCount);
        var values = new double[node.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string path = $"{Child(key)}[{i}]";
            values[i] = CheckNumber(Expect(node.Items[i], path, JsonKind.Number), path, min, max, false, false);
        }
        return values;
    }

    /// <summary>A required array of integers.</summary>
    public long[] Integers(string key, int minCount, int maxCount, long min, long max)
    {
        var node = Get(key, JsonKind.Array);
        CheckCount(node, key, minCount, maxCount);
        var values = new long[node.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string path = $"{Child(key)}[{i}]";
            values[i] = CheckInteger(Expect(node.Items[i], path, JsonKind.Number), path, min, max);
        }
        return values;
    }

    /// <summary>A required array of strings.</summary>
    public string[] Strings(string key, int minCount, int maxCount)
    {
        var node = Get(key, JsonKind.Array);
        CheckCount(node, key, minCount, maxCount);
        var values = new string[node.Items.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = Expect(node.Items[i], $"{Child(key)}[{i}]", JsonKind.String).Text!;
        return values;
    }

    /// <summary>A required rectangular matrix of finite numbers, returned row-major with its row count.</summary>
    public (double[] Values, int Rows, int Columns) Matrix(string key)
    {
        var node = Get(key, JsonKind.Array);
        CheckCount(node, key, 1, int.MaxValue);
        int rows = node.Items.Count;
        int columns = -1;
        var values = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            string rowPath = $"{Child(key)}[{i}]";
            var row = Expect(node.Items[i], rowPath, JsonKind.Array);
            if (columns < 0) columns = row.Items.Count;
            else if (row.Items.Count != columns)
                throw _parser.Error(row.Offset, rowPath, $"must have {columns} entries like the first row (got {row.Items.Count})");
            for (int j = 0; j < row.Items.Count; j++)
            {
                string path = $"{rowPath}[{j}]";
                values.Add(CheckNumber(Expect(row.Items[j], path, JsonKind.Number), path,
                    double.NegativeInfinity, double.PositiveInfinity, false, false));
            }
        }
        return (values.ToArray(), rows, columns);
    }

    /// <summary>The <c>kind</c> discriminator of a polymorphic object, checked against the registered kinds.</summary>
    public string Kind(IEnumerable<string> registered) => Kind(registered, "kind");

    /// <summary>The string under <paramref name="key"/>, which must be one of <paramref name="registered"/> (for discriminators not called <c>kind</c>, such as <c>training.objective</c>).</summary>
    public string Kind(IEnumerable<string> registered, string key)
    {
        var node = Get(key, JsonKind.String);
        var known = registered.ToArray();
        if (Array.IndexOf(known, node.Text) < 0)
            throw _parser.Error(node.Offset, Child(key),
                $"unknown kind {JsonText.Quote(node.Text!)} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        return node.Text!;
    }

    string Child(string key) => Path + "." + JsonText.Escape(key);

    // A missing required key, with the present key it was probably meant to be ("stepsize" for "stepSize").
    DefinitionException Missing(string key)
    {
        string? found = Spelling.Closest(key, _node.Members.Select(m => m.Key).Where(k => !_read.Contains(k)));
        return Error(key, found is null ? "required field is missing" : $"required field is missing (found \"{found}\": did you mean \"{key}\"?)");
    }

    (string Key, long KeyOffset, JsonValueNode Value)? Find(string key)
    {
        _asked.Add(key);
        foreach (var m in _node.Members)
            if (m.Key == key) return m;
        return null;
    }

    JsonValueNode Get(string key, JsonKind kind)
    {
        var member = Find(key) ?? throw Missing(key);
        _read.Add(key);
        return Expect(member.Value, Child(key), kind);
    }

    JsonValueNode Expect(JsonValueNode node, string path, JsonKind kind)
    {
        if (node.Kind != kind)
            throw _parser.Error(node.Offset, path, $"must be {JsonValueNode.Describe(kind)} (got {JsonValueNode.Describe(node.Kind)})");
        return node;
    }

    void CheckCount(JsonValueNode array, string key, int minCount, int maxCount)
    {
        int n = array.Items.Count;
        if (n < minCount)
            throw _parser.Error(array.Offset, Child(key), minCount == 1 ? "must not be empty" : $"must have at least {minCount} entries (got {n})");
        if (n > maxCount)
            throw _parser.Error(array.Offset, Child(key), $"must have at most {maxCount} entries (got {n})");
    }

    double CheckNumber(JsonValueNode node, string path, double min, double max, bool minExclusive, bool maxExclusive)
    {
        if (!double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw _parser.Error(node.Offset, path, $"must be a finite number (got {node.Text})");
        bool low = minExclusive ? value <= min : value < min;
        bool high = maxExclusive ? value >= max : value > max;
        if (low) throw _parser.Error(node.Offset, path, $"must be {(minExclusive ? ">" : "≥")} {Format(min)} (got {node.Text})");
        if (high) throw _parser.Error(node.Offset, path, $"must be {(maxExclusive ? "<" : "≤")} {Format(max)} (got {node.Text})");
        return value;
    }

    long CheckInteger(JsonValueNode node, string path, long min, long max)
    {
        if (!long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            // An integer literal too long for 64 bits is out of range, not "not an integer".
            bool digits = node.Text!.TrimStart('-').All(char.IsAsciiDigit);
            if (!digits) throw _parser.Error(node.Offset, path, $"must be an integer (got {node.Text})");
            throw _parser.Error(node.Offset, path, node.Text.StartsWith('-') ? $"must be ≥ {min} (got {node.Text})" : $"must be ≤ {max} (got {node.Text})");
        }
        if (value < min) throw _parser.Error(node.Offset, path, $"must be ≥ {min} (got {value})");
        if (value > max) throw _parser.Error(node.Offset, path, $"must be ≤ {max} (got {value})");
        return value;
    }

    static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
