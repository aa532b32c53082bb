using System.Globalization;
using System.Text;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// The plain numeric tables of a seed folder (loss, moments, trajectories, score tables): a header
/// line, then rows of numbers in round-trip precision ("R"), LF line endings. One reader checks
/// the header and every field, so a damaged file fails with its name and line, never as a wrong figure.
/// </summary>
internal static class NumericCsv
{
    /// <summary>Writes <paramref name="header"/> and the rows atomically; each row is appended by <paramref name="row"/>.</summary>
    public static void Write<T>(string path, IEnumerable<string> header, IEnumerable<T> rows, Action<StringBuilder, T> row)
    {
        var sb = new StringBuilder(string.Join(",", header)).Append('\n');
        foreach (var r in rows)
        {
            row(sb, r);
            sb.Append('\n');
        }
        AtomicFile.WriteText(path, sb.ToString());
    }

    /// <summary>Appends values, comma-separated, each with a leading comma unless <paramref name="first"/>.</summary>
    public static void Append(StringBuilder sb, IEnumerable<double> values, bool first = false)
    {
        foreach (double v in values)
        {
            if (!first) sb.Append(',');
            sb.Append(PointsCsv.Format(v));
            first = false;
        }
    }

    /// <summary>
    /// The header and the rows of <paramref name="path"/>; the header must satisfy <paramref name="header"/>
    /// (which says what it expected when it does not), and every row must have the header's width of numbers.
    /// </summary>
    /// <exception cref="InputException">Missing file, wrong header, wrong width or a field that is not a number.</exception>
    public static (string[] Header, List<double[]> Rows) Read(string path, Func<string[], string?> header)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        using var reader = new StreamReader(path, Encoding.UTF8);
        string[] names = reader.ReadLine()?.Split(',') ?? throw new InputException($"{path}:1: empty file");
        if (header(names) is { } expected)
            throw new InputException($"{path}:1: header must be {expected} (got {string.Join(",", names)})");
        var rows = new List<double[]>();
        int line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0) continue;
            string[] fields = text.Split(',');
            if (fields.Length != names.Length)
                throw new InputException($"{path}:{line}: expected {names.Length} values (got {fields.Length})");
            var values = new double[fields.Length];
            for (int k = 0; k < fields.Length; k++)
                if (!double.TryParse(fields[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                    throw new InputException($"{path}:{line}: {names[k]} is not a number (got \"{fields[k]}\")");
            rows.Add(values);
        }
        return (names, rows);
    }

    /// <summary>A whole number stored in a numeric column (a step or particle index).</summary>
    public static int Index(string path, double value, string column)
    {
        if (value != Math.Floor(value) || value < 0 || value > int.MaxValue)
            throw new InputException($"{path}: {column} must be a whole number ≥ 0 (got {value.ToString("R", CultureInfo.InvariantCulture)})");
        return (int)value;
    }

    /// <summary>"a,b,c" for a header message.</summary>
    public static string? Expect(string[] got, IEnumerable<string> expected)
    {
        var e = expected.ToArray();
        return got.SequenceEqual(e) ? null : string.Join(",", e);
    }
}
