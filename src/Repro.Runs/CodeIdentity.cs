using System.Security.Cryptography;
using System.Text;

namespace Repro.Runs;

/// <summary>
/// The identity of the code that computes results: SHA-256 (hex) of the sorted
/// "PROJECT/PATH SHA256" lines of every source file of Repro.Core, Repro.Training, Repro.Results and Repro.Runs,
/// hashed at build time (Repro.Runs.csproj, target <c>WriteCodeIdentity</c>). A stored result made by
/// other code is never reused. Stable across rebuilds and machines: contents and relative paths only
/// (path separators normalised to '/').
/// </summary>
public static class CodeIdentity
{
    static readonly Lazy<(string Hash, int Files)> Value = new(Compute);

    /// <summary>64 hex digits.</summary>
    public static string Hash => Value.Value.Hash;

    /// <summary>How many source files the hash covers.</summary>
    public static int Files => Value.Value.Files;

    static (string, int) Compute()
    {
        using var stream = typeof(CodeIdentity).Assembly.GetManifestResourceStream("Repro.Runs.code-identity.txt")
            ?? throw new InvalidOperationException("Repro.Runs was built without its code-identity resource");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        string text = string.Join("\n", lines) + "\n";
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), lines.Length);
    }
}
