using System.Globalization;
using CsvHelper;
using Repro.Core;
using Repro.Core.Evaluation;

namespace Repro.Results;

/// <summary>
/// Metric rows in long format (<c>experiment,seed,reconstruction,reference,metric,value[,gate,pass]</c>),
/// values in round-trip precision. The per-seed file has no gate columns; the experiment's
/// aggregate file repeats each row with the gate that applies to it (if any) and its verdict.
/// </summary>
public static class MetricsCsv
{
    static readonly string[] Columns = ["experiment", "seed", "reconstruction", "reference", "metric", "value"];

    /// <summary>Writes rows atomically; <paramref name="gate"/> gives (gate text, pass) per row when gate columns are wanted.</summary>
    public static void Write(string path, IEnumerable<MetricRow> rows, Func<MetricRow, (string Gate, string Pass)>? gate = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
            csv.WriteHeader(gate is null ? Columns : [.. Columns, "gate", "pass"]);
            foreach (var r in rows)
            {
                csv.WriteField(r.Experiment);
                csv.WriteField(r.Seed.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.Reconstruction);
                csv.WriteField(r.Reference);
                csv.WriteField(r.Metric);
                csv.WriteField(PointsCsv.Format(r.Value));
                if (gate is not null)
                {
                    var (g, pass) = gate(r);
                    csv.WriteField(g);
                    csv.WriteField(pass);
                }
                csv.EndRecord();
            }
        });
    }

    /// <summary>Reads a per-seed or aggregate metrics file (gate columns are ignored).</summary>
    public static IReadOnlyList<MetricRow> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true }, false);
        var rows = new List<MetricRow>();
        while (csv.Read())
        {
            long line = csv.LineNumber;
            if (csv.FieldCount < Columns.Length)
                throw new InputException($"{path}:{line}: expected at least {Columns.Length} fields (got {csv.FieldCount})");
            if (!long.TryParse(csv.GetString(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
                throw new InputException($"{path}:{line}: seed is not an integer (got \"{csv.GetString(1)}\")");
            if (!double.TryParse(csv.GetString(5), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new InputException($"{path}:{line}: value is not a number (got \"{csv.GetString(5)}\")");
            rows.Add(new MetricRow(csv.GetString(0), seed, csv.GetString(2), csv.GetString(3), csv.GetString(4), value));
        }
        return rows;
    }
}
