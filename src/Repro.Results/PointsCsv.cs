using System.Globalization;
using CsvHelper;
using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>
/// Points as CSV with header <c>x1,…,xd</c>, numbers in round-trip precision ("R"), so a file
/// read back gives the same bits.
/// </summary>
public static class PointsCsv
{
    
    /// <summary>Header names x1..xd.</summary>
    public static string[] Header(int dimension, string prefix = "x") =>
        Enumerable.Range(1, dimension).Select(k => prefix + k.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Writes points to a stream (leaves it open).</summary>
    public static void Write(Stream stream, Points points)
    {
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        csv.WriteHeader(Header(points.Dimension));
        for (int i = 0; i < points.Count; i++)
        {
            foreach (double v in points.Row(i)) csv.WriteField(Format(v));
            csv.EndRecord();
        }
    }

    /// <summary>Writes points to a file atomically.</summary>
    public static void Write(string path, Points points) => AtomicFile.Write(path, s => Write(s, points));

    /// <summary>Round-trip text of a double.</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a CSV of points with header <c>x1,…,xd</c> (NumPy's <c>savetxt(..., header="x1,x2",
    /// delimiter=",")</c> form <c># x1,x2</c> too); a wrong header, a wrong column count, a non-numeric
    /// or non-finite value fails with the file and line number, and a binary file is refused without
    /// echoing its bytes.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="expectedDimension">The dimension the caller needs, if any.</param>
    /// <param name="expectedBecause">Whose dimension that is, for the message (e.g. "the experiment dsm-2d-two-blobs").</param>
    public static Points Read(string path, int? expectedDimension = null, string expectedBecause = "the experiment")
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        using var stream = File.OpenRead(path);
        if (stream.Length == 0) throw new InputException($"{path}:1: empty file (expected a header x1,...,xd)");
        var head = new byte[(int)Math.Min(512, stream.Length)];
        stream.ReadExactly(head);
        stream.Position = 0;
        if (head.Any(b => b == 0 || (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')))
            throw new InputException($"{path}: not a CSV text file (binary data); expected a header x1,...,xd and one point per line");
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true }, false);
        bool any = csv.Read();
        string[] header = csv.Headers.ToArray();
        // numpy.savetxt writes its header after comments="# ".
        if (header.Length > 0 && header[0].StartsWith('#')) header[0] = header[0].TrimStart('#').TrimStart();
        int d = header.Length;
        if (!header.SequenceEqual(Header(d)))
            throw new InputException($"{path}:1: header must be x1,...,x{d} (got {string.Join(",", header)})");
        if (expectedDimension is int e && e != d)
            throw new InputException($"{path}:1: expected {e} columns x1..x{e} as {expectedBecause} has (got {d})");
        var values = new List<double>();
        for (; any; any = csv.Read())
        {
            long line = csv.LineNumber;
            if (csv.FieldCount != d)
                throw new InputException($"{path}:{line}: expected {d} values (got {csv.FieldCount})");
            for (int k = 0; k < d; k++)
            {
                string text = csv.GetString(k);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new InputException($"{path}:{line}: x{k + 1} is not a number (got \"{text}\")");
                if (!double.IsFinite(v))
                    throw new InputException($"{path}:{line}: x{k + 1} must be finite (got {text})");
                values.Add(v);
            }
        }
        if (values.Count == 0) throw new InputException($"{path}:2: no points after the header");
        return new Points(values.ToArray(), d);
    }
}
