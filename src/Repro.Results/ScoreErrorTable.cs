using Repro.Core;

namespace Repro.Results;

/// <summary>
/// <c>score-error.csv</c>: at fresh points of p_σ, the distance to the nearest training point and
/// the error ‖s_θ − ∇log p_σ‖ there (header <c>distance,error</c>).
/// </summary>
/// <param name="Distance">Distance to the nearest training point, per point.</param>
/// <param name="Error">Euclidean score error, per point; as long as <paramref name="Distance"/>.</param>
public sealed record ScoreErrorTable(IReadOnlyList<double> Distance, IReadOnlyList<double> Error)
{
    static readonly string[] Header = ["distance", "error"];

    /// <summary>Writes the table to <paramref name="path"/> atomically.</summary>
    public void Write(string path)
    {
        if (Error.Count != Distance.Count) throw new ArgumentException($"{Distance.Count} distances but {Error.Count} errors", nameof(Error));
        NumericCsv.Write(path, Header, Enumerable.Range(0, Distance.Count), (sb, i) => NumericCsv.Append(sb, [Distance[i], Error[i]], first: true));
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InputException">Missing or malformed (file and line named).</exception>
    public static ScoreErrorTable Read(string path)
    {
        var (_, rows) = NumericCsv.Read(path, h => NumericCsv.Expect(h, Header));
        return new ScoreErrorTable(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray());
    }
}
