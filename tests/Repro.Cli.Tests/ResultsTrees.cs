using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Repro.Cli.Tests;

/// <summary>Whole results folders compared file by file.</summary>
public static class ResultsTrees
{
    /// <summary>Every file under <paramref name="root"/> (relative path) with the SHA-256 of its bytes.</summary>
    public static SortedDictionary<string, string> Hashes(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    /// <summary>The wall-time fields of <c>run.json</c> and <c>weights.json</c>, which differ between any two runs of the same unit.</summary>
    static readonly string[] Timings = ["Seconds", "StepsPerSecond"];

    /// <summary>
    /// Asserts that the two folders hold the same files with the same bytes, except that <c>run.json</c> and
    /// <c>weights.json</c> are compared without their wall times (every other field byte for byte as JSON text).
    /// </summary>
    public static void EqualExceptTimings(string expected, string actual)
    {
        var a = Hashes(expected);
        var b = Hashes(actual);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (file, hash) in a)
        {
            string name = Path.GetFileName(file);
            if (name is "run.json" or "weights.json")
                Assert.Equal(WithoutTimings(Path.Combine(expected, file)), WithoutTimings(Path.Combine(actual, file)));
            else
                Assert.True(hash == b[file], $"{file} differs");
        }
    }

    static string WithoutTimings(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        Strip(node);
        return node.ToJsonString();
    }

    static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (string key in Timings) o.Remove(key);
                foreach (var (_, child) in o) Strip(child);
                break;
            case JsonArray a:
                foreach (var child in a) Strip(child);
                break;
        }
    }
}
