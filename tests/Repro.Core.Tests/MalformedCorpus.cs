namespace Repro.Core.Tests;

/// <summary>
/// Fixtures/malformed: one <c>NAME.json</c> per broken definition, its one-line loader message in
/// <c>NAME.expected</c>, and <c>schema-blind.txt</c> listing the files whose fault the schema cannot see.
/// </summary>
public static class MalformedCorpus
{
    /// <summary>The corpus folder beside the test binaries.</summary>
    public static string Folder => Path.Combine(RepoPaths.Fixtures, "malformed");

    /// <summary>Names (without extension) of every corpus definition.</summary>
    public static IEnumerable<string> Names() => Directory.GetFiles(Folder, "*.json")
        .Select(f => Path.GetFileNameWithoutExtension(f))
        .Order(StringComparer.Ordinal);

    /// <summary>xunit rows of <see cref="Names"/>.</summary>
    public static TheoryData<string> Cases() => new(Names());

    /// <summary>The path the loader is told, relative to the fixtures folder, so messages do not depend on the machine.</summary>
    public static string DisplayPath(string name) => $"malformed/{name}.json";

    /// <summary>The bytes of a corpus definition.</summary>
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name + ".json"));

    /// <summary>The expected message of a corpus definition.</summary>
    public static string Expected(string name) => File.ReadAllText(Path.Combine(Folder, name + ".expected")).TrimEnd('\r', '\n');

    /// <summary>schema-blind.txt: file name to reason.</summary>
    public static IReadOnlyDictionary<string, string> SchemaBlind()
    {
        var blind = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in File.ReadAllLines(Path.Combine(Folder, "schema-blind.txt")))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int hash = line.IndexOf('#');
            if (hash < 0) throw new InvalidDataException($"schema-blind.txt: no \"# reason\" on \"{line}\"");
            blind.Add(line[..hash].Trim(), line[(hash + 1)..].Trim());
        }
        return blind;
    }
}
