using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>
/// <c>score-grid.csv</c>: the learned score beside the exact ones on the grid the report draws
/// (header <c>x1..xd,learned1..learnedd,exact_sigma1..exact_sigmad,exact01..exact0d</c>).
/// </summary>
/// <param name="Grid">The grid points (n × d; rows run fastest along x1).</param>
/// <param name="Learned">s_θ(x), n × d.</param>
/// <param name="ExactSigma">∇log p_σ(x), n × d.</param>
/// <param name="Exact0">∇log p₀(x), n × d.</param>
public sealed record ScoreGridTable(Points Grid, Points Learned, Points ExactSigma, Points Exact0)
{
    static string[] Header(int d) =>
        [.. PointsCsv.Header(d), .. PointsCsv.Header(d, "learned"), .. PointsCsv.Header(d, "exact_sigma"), .. PointsCsv.Header(d, "exact0")];

    /// <summary>Writes the table to <paramref name="path"/> atomically.</summary>
    public void Write(string path) =>
        NumericCsv.Write(path, Header(Grid.Dimension), Enumerable.Range(0, Grid.Count), (sb, i) =>
        {
            NumericCsv.Append(sb, Grid.Row(i).ToArray(), first: true);
            NumericCsv.Append(sb, Learned.Row(i).ToArray());
            NumericCsv.Append(sb, ExactSigma.Row(i).ToArray());
            NumericCsv.Append(sb, Exact0.Row(i).ToArray());
        });

    /// <summary>Reads <paramref name="path"/> of d-dimensional points.</summary>
    /// <exception cref="InputException">Missing or malformed (file and line named).</exception>
    public static ScoreGridTable Read(string path, int dimension)
    {
        var (_, rows) = NumericCsv.Read(path, h => NumericCsv.Expect(h, Header(dimension)));
        Points Columns(int block)
        {
            var data = new double[rows.Count * dimension];
            for (int i = 0; i < rows.Count; i++) Array.Copy(rows[i], block * dimension, data, i * dimension, dimension);
            return new Points(data, dimension);
        }
        return new ScoreGridTable(Columns(0), Columns(1), Columns(2), Columns(3));
    }
}
