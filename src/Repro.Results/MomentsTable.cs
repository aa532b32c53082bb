using System.Globalization;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// <c>moments-NAME.csv</c>: the per-coordinate mean and variance of all particles of one
/// reconstruction at traced sampler steps (header <c>step,mean_x1..mean_xd,var_x1..var_xd</c>).
/// </summary>
/// <param name="Dimension">d.</param>
/// <param name="Rows">One row per traced step, in step order: the step and d means and d variances.</param>
public sealed record MomentsTable(int Dimension, IReadOnlyList<(int Step, double[] Mean, double[] Variance)> Rows)
{
    static string[] Header(int d) => ["step", .. PointsCsv.Header(d, "mean_x"), .. PointsCsv.Header(d, "var_x")];

    /// <summary>Writes the table to <paramref name="path"/> atomically.</summary>
    public void Write(string path) =>
        NumericCsv.Write(path, Header(Dimension), Rows, (sb, r) =>
        {
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture));
            NumericCsv.Append(sb, r.Mean);
            NumericCsv.Append(sb, r.Variance);
        });

    /// <summary>Reads <paramref name="path"/>; d comes from the header.</summary>
    /// <exception cref="InputException">Missing or malformed (file and line named).</exception>
    public static MomentsTable Read(string path)
    {
        int d = 0;
        var (_, rows) = NumericCsv.Read(path, h =>
        {
            d = (h.Length - 1) / 2;
            return NumericCsv.Expect(h, Header(Math.Max(d, 1)));
        });
        return new MomentsTable(d, rows.Select(r => (NumericCsv.Index(path, r[0], "step"), r[1..(1 + d)], r[(1 + d)..])).ToArray());
    }
}
