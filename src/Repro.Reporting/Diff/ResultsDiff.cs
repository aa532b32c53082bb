using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Repro.Core;
using Repro.Results;

namespace Repro.Reporting.Diff;

/// <summary>
/// Compares two results folders (a published baseline and a fresh run, say) number by number:
/// every experiment × seed folder (<c>NAME/seed-S</c>, <c>NAME/quick-seed-S</c>, sweep variants
/// <c>NAME/sweep/VARIANT/seed-S</c>), in each the metric rows matched by (experiment, seed,
/// reconstruction, reference, metric), the samples, starts, trajectories, moment traces, loss,
/// score grid and error CSVs cell by cell, the weights tensor by tensor, and the numbers and
/// status of <c>run.json</c> and <c>weights.json</c>; then every gate verdict in the two
/// <c>results.json</c>. Values are judged by a <see cref="DiffTolerance"/>: bit-identity, a uniform
/// tolerance, or each metric against its null spread (<see cref="NullSpreadTolerance"/>; <see cref="DiffTolerance.Auto"/>
/// picks bit-identity when threads and packages agree). Timings (<c>Seconds</c>, <c>StepsPerSecond</c>), the reuse flags and the
/// report pages are ignored; the environment fields (threads, package versions, code identity,
/// definition hash, quick) are not differences but are named in <see cref="DiffResult.Notes"/> when they differ.
/// </summary>
public static partial class ResultsDiff
{
    /// <summary>Fields of run.json and weights.json that vary from run to run without changing a number.</summary>
    static readonly HashSet<string> Ignored = ["Seconds", "StepsPerSecond", "Reused"];

    /// <summary>Fields that describe the environment that made a result (reported when they differ, never a difference themselves).</summary>
    static readonly string[] Environment = ["Threads", "Versions", "Code", "Quick", "DefinitionHash"];

    /// <summary>Per-seed CSV files that hold only numbers (anything else is a corrupt file).</summary>
    static readonly string[] NumericPrefixes = ["samples-", "start-", "trajectories-", "moments-", "loss.", "score-grid.", "score-error.", "reference-"];

    [GeneratedRegex(@"^(quick-)?seed-\d+$")]
    private static partial Regex SeedFolderName();

    /// <summary>
    /// Compares <paramref name="newFolder"/> against <paramref name="baseFolder"/>.
    /// </summary>
    /// <param name="baseFolder">The baseline results folder.</param>
    /// <param name="newFolder">The results folder judged against it.</param>
    /// <param name="tolerance">How far a value may move (<see cref="DiffTolerance.Exact"/>: not at all).</param>
    /// <param name="baseLabel">How errors and notes name the base (e.g. <c>HEAD:reports</c> for a folder extracted from git); default the folder.</param>
    /// <param name="newLabel">How they name the new folder.</param>
    /// <exception cref="InputException">A folder is missing or holds no results, or a stored file is corrupt (the message names it).</exception>
    public static DiffResult Compare(string baseFolder, string newFolder, DiffTolerance tolerance, string? baseLabel = null, string? newLabel = null)
    {
        var sides = new[] { new Side(baseFolder, baseLabel ?? baseFolder), new Side(newFolder, newLabel ?? newFolder) };
        foreach (var side in sides)
        {
            if (!Directory.Exists(side.Folder)) throw new InputException($"{side.Label}: no such results folder");
            if (side.Seeds.Count == 0)
                throw new InputException($"{side.Label}: holds no results (no EXPERIMENT/seed-S folder)");
        }
        var (b, n) = (sides[0], sides[1]);
        b.ReadEnvironment();
        n.ReadEnvironment();
        var notes = new List<string>();
        if (tolerance.IsAuto)
        {
            // Bit-identity is expected only from the same thread count and packages; otherwise each
            // metric is judged against its null spread.
            string[] differing = ["Threads", "Versions"];
            differing = differing.Where(f => !b.EnvironmentValues(f).SetEquals(n.EnvironmentValues(f))).ToArray();
            tolerance = differing.Length == 0 ? DiffTolerance.Exact : DiffTolerance.ByNullSpread;
            if (differing.Length > 0)
                notes.Add($"{string.Join(" and ", differing.Select(f => f == "Threads" ? "thread counts" : "package versions"))} differ: judged by each metric's null spread, not bit-identity");
        }
        var common = b.Seeds.Intersect(n.Seeds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        NullSpreadTolerance? spreads = null;
        if (tolerance.NullSpread)
            spreads = NullSpreadTolerance.FromBase(b.Seeds
                .Where(seed => File.Exists(Path.Combine(b.PathOf(seed), SeedFiles.Metrics)))
                .Select(seed => b.Metrics(Path.Combine(b.PathOf(seed), SeedFiles.Metrics), seed + "/" + SeedFiles.Metrics)));
        var stated = new SortedDictionary<(string Metric, string Rule), (double? Smallest, double? Largest)>(Comparer<(string Metric, string Rule)>.Create((x, y) =>
            string.CompareOrdinal(x.Metric, y.Metric) is int c and not 0 ? c : string.CompareOrdinal(x.Rule, y.Rule)));
        var metrics = new List<MetricChange>();
        var files = new List<FileChange>();
        long metricValues = 0, fileValues = 0;
        int fileCount = 0;
        foreach (string seed in common)
        {
            var names = FilesOf(b.PathOf(seed)).Union(FilesOf(n.PathOf(seed))).Order(StringComparer.Ordinal);
            foreach (string name in names)
            {
                string relative = seed + "/" + name;
                string bp = Path.Combine(b.PathOf(seed), name), np = Path.Combine(n.PathOf(seed), name);
                if (!File.Exists(bp) || !File.Exists(np))
                {
                    files.Add(new FileChange(relative, 0, 0, 0, 0, 0, null, [File.Exists(bp) ? $"only in {b.Label}" : $"only in {n.Label}"]));
                    continue;
                }
                if (name == "metrics.csv")
                {
                    metricValues += CompareMetrics(b.Metrics(bp, relative), n.Metrics(np, relative), tolerance, spreads, metrics, stated);
                    continue;
                }
                var file = new FileComparison(relative, tolerance);
                if (name.EndsWith(".json", StringComparison.Ordinal)) CompareRecord(b, n, bp, np, file);
                else if (name == SeedFiles.Weights) CompareWeights(b, n, bp, np, file);
                else CompareTable(b, n, bp, np, file, strict: NumericPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)));
                fileCount++;
                fileValues += file.Values;
                if (file.Changed) files.Add(file.Result());
            }
        }
        var (gateCount, gates, gateNotes) = CompareGates(b, n);
        notes.AddRange(gateNotes);
        static bool Quick(string seed) => seed[(seed.LastIndexOf('/') + 1)..].StartsWith("quick-", StringComparison.Ordinal);
        if (common.Length == 0 && b.Seeds.All(Quick) != n.Seeds.All(Quick))
            notes.Add($"{(b.Seeds.All(Quick) ? b.Label : n.Label)} holds quick results (quick-seed-S), {(b.Seeds.All(Quick) ? n.Label : b.Label)} full ones (seed-S): compare quick with quick and full with full");
        foreach (string field in Environment)
        {
            var (bv, nv) = (b.EnvironmentValues(field), n.EnvironmentValues(field));
            if (bv.SetEquals(nv)) continue;
            string Join(SortedSet<string> s) => s.Count == 0 ? "none" : string.Join(", ", s.Select(v => v.Length > 16 ? v[..12] + "…" : v));
            notes.Add($"{field} differs: {Join(bv)} in {b.Label}, {Join(nv)} in {n.Label}"
                + (field is "Threads" or "Versions" ? " (bit-identity is expected only with the same threads and packages)" : ""));
        }
        return new DiffResult
        {
            BaseFolder = b.Label, NewFolder = n.Label, Tolerance = tolerance,
            Seeds = common,
            OnlyInBase = b.Seeds.Except(n.Seeds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            OnlyInNew = n.Seeds.Except(b.Seeds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            MetricValues = metricValues,
            Metrics = metrics.OrderByDescending(m => m.Beyond).ThenByDescending(m => m.RelativeChange is double r ? (double.IsNaN(r) ? double.PositiveInfinity : Math.Abs(r)) : double.PositiveInfinity).ToArray(),
            Files = fileCount, FileValues = fileValues,
            FileChanges = files.OrderByDescending(f => f.Problems.Count > 0 || f.Beyond > 0).ThenBy(f => f.Path, StringComparer.Ordinal).ToArray(),
            GateVerdicts = gateCount, Gates = gates,
            Tolerances = stated.Select(t => new StatedTolerance(t.Key.Metric, t.Key.Rule, t.Value.Smallest, t.Value.Largest)).ToArray(),
            Notes = notes,
        };
    }

    static IEnumerable<string> FilesOf(string folder) =>
        Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is SeedFiles.Metrics or SeedFiles.Run or SeedFiles.WeightsSidecar or SeedFiles.Weights || f.EndsWith(".csv", StringComparison.Ordinal));

    static long CompareMetrics(Dictionary<(string, long, string, string, string), double> b, Dictionary<(string, long, string, string, string), double> n,
        DiffTolerance tolerance, NullSpreadTolerance? spreads, List<MetricChange> changes, SortedDictionary<(string Metric, string Rule), (double? Smallest, double? Largest)> stated)
    {
        long compared = 0;
        foreach (var (key, bv) in b)
        {
            var (experiment, seed, reconstruction, reference, metric) = key;
            if (!n.TryGetValue(key, out double nv))
            {
                changes.Add(new MetricChange(experiment, seed, reconstruction, reference, metric, bv, null, Beyond: true));
                continue;
            }
            compared++;
            if (spreads is not null)
            {
                // Every row is judged, moved or not, so that each metric's stated tolerance covers all its rows.
                var judged = spreads.Judge(key, bv, nv, b, n);
                stated[(metric, judged.Rule)] = stated.TryGetValue((metric, judged.Rule), out var t)
                    ? (Min(t.Smallest, judged.Allowance), Max(t.Largest, judged.Allowance))
                    : (judged.Allowance, judged.Allowance);
                if (!DiffTolerance.BitIdentical(bv, nv))
                    changes.Add(new MetricChange(experiment, seed, reconstruction, reference, metric, bv, nv, !judged.Within) { Rule = judged.Rule, Allowance = judged.Allowance });
                continue;
            }
            if (!DiffTolerance.BitIdentical(bv, nv))
                changes.Add(new MetricChange(experiment, seed, reconstruction, reference, metric, bv, nv, !tolerance.Allows(bv, nv)));
        }
        foreach (var (key, nv) in n)
            if (!b.ContainsKey(key))
                changes.Add(new MetricChange(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5, null, nv, Beyond: true));
        return compared;

        static double? Min(double? a, double? c) => a is null ? c : c is null ? a : Math.Min(a.Value, c.Value);
        static double? Max(double? a, double? c) => a is null ? c : c is null ? a : Math.Max(a.Value, c.Value);
    }

    static void CompareTable(Side b, Side n, string bp, string np, FileComparison file, bool strict)
    {
        var bt = b.Read(() => NumberTable.Read(bp, b.Label + "/" + file.Path, allowText: !strict));
        var nt = n.Read(() => NumberTable.Read(np, n.Label + "/" + file.Path, allowText: !strict));
        if (!bt.Columns.SequenceEqual(nt.Columns))
        {
            file.Problem($"columns {string.Join(",", bt.Columns)} → {string.Join(",", nt.Columns)}");
            return;
        }
        if (bt.Rows != nt.Rows) file.Problem($"{bt.Rows} rows → {nt.Rows}");
        int cells = Math.Min(bt.Values.Length, nt.Values.Length), width = Math.Max(1, bt.Columns.Count);
        for (int i = 0; i < cells; i++)
        {
            string Where() => $"row {i / width + 1}, {bt.Columns[i % width]}";
            bool bText = bt.Text.TryGetValue(i, out string? bs), nText = nt.Text.TryGetValue(i, out string? ns);
            if (bText || nText)
            {
                if (bs != ns) file.Problem($"{Where()}: \"{bs ?? bt.Values[i].ToString("R", CultureInfo.InvariantCulture)}\" → \"{ns ?? nt.Values[i].ToString("R", CultureInfo.InvariantCulture)}\"");
                continue;
            }
            file.Number(bt.Values[i], nt.Values[i], Where);
        }
    }

    static void CompareWeights(Side b, Side n, string bp, string np, FileComparison file)
    {
        var bw = b.Read(() => TorchStateFile.Read(bp, b.Label + "/" + file.Path));
        var nw = n.Read(() => TorchStateFile.Read(np, n.Label + "/" + file.Path));
        string Shape(TorchStateFile.Tensor t) => $"{t.Name}[{string.Join("×", t.Shape)}] dtype {t.DType}";
        if (!bw.Select(Shape).SequenceEqual(nw.Select(Shape)))
        {
            file.Problem($"tensors {string.Join(", ", bw.Select(Shape))} → {string.Join(", ", nw.Select(Shape))}");
            return;
        }
        for (int t = 0; t < bw.Count; t++)
        {
            var (x, y) = (bw[t], nw[t]);
            if (x.Values is { } xv && y.Values is { } yv)
            {
                for (int i = 0; i < xv.Length; i++) file.Number(xv[i], yv[i], () => $"{x.Name}[{i}]");
            }
            else if (!x.Bytes.AsSpan().SequenceEqual(y.Bytes))
            {
                file.Problem($"{x.Name}: bytes differ");
            }
        }
    }

    static void CompareRecord(Side b, Side n, string bp, string np, FileComparison file)
    {
        var bf = b.Read(() => Flatten(bp, b.Label + "/" + file.Path));
        var nf = n.Read(() => Flatten(np, n.Label + "/" + file.Path));
        foreach (string key in bf.Keys.Union(nf.Keys).Order(StringComparer.Ordinal))
        {
            string leaf = key[(key.LastIndexOf('.') + 1)..];
            if (Ignored.Contains(leaf) || Environment.Contains(leaf)) continue;
            bool inB = bf.TryGetValue(key, out var bv), inN = nf.TryGetValue(key, out var nv);
            if (!inB || !inN)
            {
                file.Problem($"{key} only in {(inB ? b.Label : n.Label)}");
                continue;
            }
            if (bv is JsonValue bj && nv is JsonValue nj && bj.GetValueKind() == JsonValueKind.Number && nj.GetValueKind() == JsonValueKind.Number)
                file.Number(bj.GetValue<double>(), nj.GetValue<double>(), () => key);
            else if (Text(bv) != Text(nv))
                file.Problem($"{key}: {Text(bv)} → {Text(nv)}");
        }
    }

    static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>Every leaf of a JSON document by dotted path (array items by index).</summary>
    static Dictionary<string, JsonNode?> Flatten(string path, string display)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new InputException($"{display}: not valid JSON ({e.Message.Split('.')[0]})");
        }
        if (root is not JsonObject) throw new InputException($"{display}: expected a JSON object");
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string prefix)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, prefix.Length == 0 ? k : prefix + "." + k);
                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        // Reconstructions are named: key them by name, so a reordering is not a difference.
                        string item = a[i] is JsonObject io && io["Name"] is JsonValue nm ? nm.ToString() : i.ToString(CultureInfo.InvariantCulture);
                        Walk(a[i], $"{prefix}[{item}]");
                    }
                    break;
                default:
                    leaves[prefix] = node;
                    break;
            }
        }
        Walk(root, "");
        return leaves;
    }

    static (int Count, IReadOnlyList<GateChange> Changes, IReadOnlyList<string> Notes) CompareGates(Side b, Side n)
    {
        var (bg, ng) = (b.Gates(), n.Gates());
        if (bg is null || ng is null)
        {
            var absent = new[] { b, n }.Where(s => s.Gates() is null).Select(s => s.Label);
            return (0, [], [$"gate verdicts not compared: no results.json in {string.Join(" nor in ", absent)} (`repro report` on that folder writes it)"]);
        }
        var changes = new List<GateChange>();
        int compared = 0;
        foreach (string id in bg.Keys.Union(ng.Keys).Order(StringComparer.Ordinal))
        {
            bool inB = bg.TryGetValue(id, out var x), inN = ng.TryGetValue(id, out var y);
            if (inB && inN)
            {
                compared++;
                if (x.Passed == y.Passed) continue;
            }
            changes.Add(new GateChange(id, (inN ? y : x).Gate, inB ? x.Passed : null, inN ? y.Passed : null, inB ? x.Value : null, inN ? y.Value : null));
        }
        return (compared, changes, []);
    }

    /// <summary>One side of the comparison: its folder, its label and what was read of it.</summary>
    sealed class Side(string folder, string label)
    {
        public string Folder { get; } = folder;
        public string Label { get; } = label;
        readonly Dictionary<string, SortedSet<string>> _environment = [];
        Dictionary<string, (bool Passed, double? Value, string Gate)>? _gates;
        bool _gatesRead;

        public IReadOnlyList<string> Seeds { get; } = Directory.Exists(folder) ? FindSeeds(folder) : [];

        public string PathOf(string seed) => Path.Combine(Folder, seed.Replace('/', Path.DirectorySeparatorChar));

        static IReadOnlyList<string> FindSeeds(string root)
        {
            var found = new List<string>();
            var pending = new Stack<string>([root]);
            while (pending.Count > 0)
                foreach (string dir in Directory.EnumerateDirectories(pending.Pop()))
                {
                    if (SeedFolderName().IsMatch(Path.GetFileName(dir))) found.Add(Path.GetRelativePath(root, dir).Replace(Path.DirectorySeparatorChar, '/'));
                    else pending.Push(dir);
                }
            return found;
        }

        /// <summary>Runs a reader, naming this side's label instead of its (perhaps temporary) folder in any error.</summary>
        public T Read<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (InputException e) when (Label != Folder)
            {
                throw new InputException(e.Message.Replace(Folder, Label, StringComparison.Ordinal));
            }
        }

        readonly Dictionary<string, Dictionary<(string, long, string, string, string), double>> _metrics = new(StringComparer.Ordinal);

        public Dictionary<(string, long, string, string, string), double> Metrics(string path, string relative)
        {
            if (_metrics.TryGetValue(path, out var known)) return known;
            var rows = Read(() =>
            {
                try
                {
                    return MetricsCsv.Read(path);
                }
                catch (Exception e) when (e is not InputException)
                {
                    throw new InputException($"{path}: not a metrics file ({e.Message})");
                }
            });
            var byKey = new Dictionary<(string, long, string, string, string), double>();
            foreach (var r in rows)
                if (!byKey.TryAdd((r.Experiment, r.Seed, r.Reconstruction, r.Reference, r.Metric), r.Value))
                    throw new InputException($"{Label}/{relative}: {r.Reconstruction}/{r.Reference}/{r.Metric} of seed {r.Seed} appears twice");
            _metrics[path] = byKey;
            return byKey;
        }

        public SortedSet<string> EnvironmentValues(string field) =>
            _environment.TryGetValue(field, out var values) ? values : [];

        public Dictionary<string, (bool Passed, double? Value, string Gate)>? Gates()
        {
            if (_gatesRead) return _gates;
            _gatesRead = true;
            string path = Path.Combine(Folder, "results.json");
            if (!File.Exists(path)) return null;
            try
            {
                var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                    ?? throw new InputException($"{Label}/results.json: expected a JSON object");
                var gates = root["gates"] as JsonArray ?? throw new InputException($"{Label}/results.json: no \"gates\" list");
                _gates = new(StringComparer.Ordinal);
                foreach (var g in gates)
                {
                    string id = g?["id"]?.GetValue<string>() ?? throw new InputException($"{Label}/results.json: a gate without \"id\"");
                    bool passed = g["passed"]?.GetValue<bool>() ?? throw new InputException($"{Label}/results.json: gate {id} without \"passed\"");
                    double? value = g["value"] is JsonValue v ? v.GetValue<double>() : null;
                    string gate = $"{g["comparator"]?.GetValue<string>()} {g["threshold"]?.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)}";
                    _gates[id] = (passed, value, gate);
                }
                return _gates;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new InputException($"{Label}/results.json: not a results file ({e.Message.Split('.')[0]})");
            }
        }

        /// <summary>Collects the environment fields of every run.json (threads, packages, code, quick, definition).</summary>
        public void ReadEnvironment()
        {
            foreach (string seed in Seeds)
            {
                string path = Path.Combine(PathOf(seed), "run.json");
                if (!File.Exists(path)) continue;
                var leaves = Read(() => Flatten(path, $"{Label}/{seed}/run.json"));
                foreach (string field in Environment)
                    if (leaves.TryGetValue(field, out var node) && node is not null)
                    {
                        if (!_environment.TryGetValue(field, out var set)) _environment[field] = set = new(StringComparer.Ordinal);
                        set.Add(node is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : node.ToJsonString());
                    }
            }
        }
    }

    /// <summary>Accumulates the number comparisons of one file.</summary>
    sealed class FileComparison(string path, DiffTolerance tolerance)
    {
        readonly List<string> _problems = [];
        long _beyond, _notBitIdentical;
        double _maxAbsolute, _maxRelative;
        string? _where;

        public string Path { get; } = path;
        public long Values { get; private set; }
        public bool Changed => _notBitIdentical > 0 || _problems.Count > 0;

        public void Problem(string text) => _problems.Add(text);

        public void Number(double b, double n, Func<string> where)
        {
            Values++;
            if (DiffTolerance.BitIdentical(b, n)) return;
            _notBitIdentical++;
            if (!tolerance.Allows(b, n)) _beyond++;
            double absolute = Math.Abs(n - b);
            if (double.IsNaN(absolute)) absolute = double.PositiveInfinity; // NaN against a number, or ∞ − ∞ of opposite signs
            double relative = absolute == 0 ? 0 : absolute / Math.Abs(b);
            if (absolute > _maxAbsolute || _where is null)
            {
                _maxAbsolute = absolute;
                _where = where();
            }
            _maxRelative = Math.Max(_maxRelative, double.IsNaN(relative) ? double.PositiveInfinity : relative);
        }

        public FileChange Result() => new(Path, Values, _beyond, _notBitIdentical, _maxAbsolute, _maxRelative, _where, _problems.ToArray());
    }
}
