using System.Globalization;
using Repro.Core;

namespace Repro.Reporting.Diff;

/// <summary>
/// A stored CSV of numbers (samples, starts, trajectories, moments, loss, score grid, score error):
/// a header of column names and rows of round-trip doubles, read for comparison. A cell that is not
/// a number (NaN and ±Infinity are numbers) is an error naming the file, line and column, unless
/// the table is read as <paramref name="allowText"/> (a CSV of unknown kind), where it is kept as text.
/// </summary>
public sealed class NumberTable
{
    /// <summary>Column names.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
    /// <summary>Cells row-major: Rows × Columns.Count.</summary>
    public required double[] Values { get; init; }
    /// <summary>The text of cells that are not numbers (only when read with text allowed), keyed by cell index.</summary>
    public required IReadOnlyDictionary<int, string> Text { get; init; }

    /// <summary>Number of data rows.</summary>
    public int Rows => Columns.Count == 0 ? 0 : Values.Length / Columns.Count;

    /// <summary>Reads <paramref name="path"/>; <paramref name="displayPath"/> names it in errors.</summary>
    public static NumberTable Read(string path, string displayPath, bool allowText = false)
    {
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new InputException($"{displayPath}:1: empty file (expected a header line)");
        if (header.Any(c => c == '\0' || (c < ' ' && c != '\t')))
            throw new InputException($"{displayPath}: not a CSV text file (binary data)");
        string[] columns = header.Split(',');
        var values = new List<double>();
        var text = new Dictionary<int, string>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] cells = line.Split(',');
            if (cells.Length != columns.Length)
                throw new InputException($"{displayPath}:{lineNumber}: expected {columns.Length} values as the header has (got {cells.Length})");
            for (int k = 0; k < cells.Length; k++)
            {
                if (double.TryParse(cells[k], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    values.Add(v);
                    continue;
                }
                if (!allowText)
                    throw new InputException($"{displayPath}:{lineNumber}: {columns[k]} is not a number (got \"{Shorten(cells[k])}\")");
                text[values.Count] = cells[k];
                values.Add(double.NaN);
            }
        }
        return new NumberTable { Columns = columns, Values = values.ToArray(), Text = text };
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
