using System.Globalization;
using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>
/// <c>trajectories-NAME.csv</c>: the tracked particles of one reconstruction at traced sampler
/// steps (header <c>particle,step,x1..xd</c>; rows particle by particle, each in step order).
/// </summary>
/// <param name="Steps">The traced steps, increasing.</param>
/// <param name="States">At each step, the tracked particles (tracked × d), particle i in row i.</param>
public sealed record TrajectoriesTable(IReadOnlyList<int> Steps, IReadOnlyList<Points> States)
{
    static string[] Header(int d) => ["particle", "step", .. PointsCsv.Header(d)];

    /// <summary>Writes the table to <paramref name="path"/> atomically.</summary>
    public void Write(string path)
    {
        if (States.Count != Steps.Count) throw new ArgumentException($"{Steps.Count} steps but {States.Count} states", nameof(States));
        int d = States.Count > 0 ? States[0].Dimension : 1, track = States.Count > 0 ? States[0].Count : 0;
        var rows = Enumerable.Range(0, track).SelectMany(p => Enumerable.Range(0, Steps.Count).Select(t => (p, t)));
        NumericCsv.Write(path, Header(d), rows, (sb, r) =>
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.p},{Steps[r.t]}");
            NumericCsv.Append(sb, States[r.t].Row(r.p).ToArray());
        });
    }

    /// <summary>Reads <paramref name="path"/> of d-dimensional particles.</summary>
    /// <exception cref="InputException">Missing or malformed, or a (particle, step) missing or repeated.</exception>
    public static TrajectoriesTable Read(string path, int dimension)
    {
        var (_, rows) = NumericCsv.Read(path, h => NumericCsv.Expect(h, Header(dimension)));
        if (rows.Count == 0) throw new InputException($"{path}:2: no rows after the header");
        int particles = rows.Max(r => NumericCsv.Index(path, r[0], "particle")) + 1;
        var steps = rows.Select(r => NumericCsv.Index(path, r[1], "step")).Distinct().Order().ToArray();
        if (rows.Count != particles * steps.Length)
            throw new InputException($"{path}: expected {particles} particles × {steps.Length} steps = {particles * steps.Length} rows (got {rows.Count})");
        var index = steps.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var states = steps.Select(_ => Points.Zeros(particles, dimension)).ToArray();
        foreach (var r in rows)
            Array.Copy(r, 2, states[index[(int)r[1]]].Data, (int)r[0] * dimension, dimension);
        return new TrajectoriesTable(steps, states);
    }
}
