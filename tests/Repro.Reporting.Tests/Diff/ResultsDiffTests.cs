using System.Globalization;
using System.Text.Json.Nodes;
using Repro.Core;
using Repro.Reporting.Diff;

namespace Repro.Reporting.Tests.Diff;

/// <summary>
/// <see cref="ResultsDiff"/> on two copies of the committed results of one experiment (with the
/// report's results.json): identical copies pass, and every difference planted in the second copy
/// is found where it was planted.
/// </summary>
public sealed class ResultsDiffTests : IDisposable
{
    const string Experiment = "dsm-1d-two-gaussians";
    readonly string _dir = Directory.CreateTempSubdirectory("repro-diff-").FullName;
    readonly string _base, _new;

    public ResultsDiffTests()
    {
        string reports = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "reports");
        _base = Path.Combine(_dir, "base");
        _new = Path.Combine(_dir, "new");
        foreach (string side in new[] { _base, _new })
        {
            Copy(Path.Combine(reports, Experiment), Path.Combine(side, Experiment));
            File.Copy(Path.Combine(reports, "results.json"), Path.Combine(side, "results.json"));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            if (!file.EndsWith(".png", StringComparison.Ordinal))
                File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    string NewSeed(int seed, string file) => Path.Combine(_new, Experiment, $"seed-{seed}", file);

    DiffResult Diff(DiffTolerance? tolerance = null) => ResultsDiff.Compare(_base, _new, tolerance ?? DiffTolerance.Exact);

    /// <summary>Replaces the value of one metric row (per-seed long format) with <paramref name="value"/>.</summary>
    void PlantMetric(int seed, string reconstruction, string reference, string metric, Func<double, double> value)
    {
        string path = NewSeed(seed, "metrics.csv");
        string prefix = $"{Experiment},{seed},{reconstruction},{reference},{metric},";
        int hits = 0;
        var lines = File.ReadAllLines(path).Select(l =>
        {
            if (!l.StartsWith(prefix, StringComparison.Ordinal)) return l;
            hits++;
            double old = double.Parse(l[prefix.Length..], CultureInfo.InvariantCulture);
            return prefix + value(old).ToString("R", CultureInfo.InvariantCulture);
        }).ToArray();
        Assert.Equal(1, hits);
        File.WriteAllLines(path, lines);
    }

    [Fact]
    public void Identical_copies_are_bit_identical_and_count_what_was_compared()
    {
        var d = Diff();

        Assert.True(d.BitIdentical);
        Assert.True(d.Identical);
        Assert.Equal(3, d.Seeds.Count);
        // Every row of the three per-seed metrics files (header excluded) was matched.
        long rows = Enumerable.Range(1, 3).Sum(s => File.ReadAllLines(NewSeed(s, "metrics.csv")).Length - 1);
        Assert.Equal(rows, d.MetricValues);
        // 2000 one-dimensional samples of the generation reconstruction alone, per seed.
        Assert.True(d.FileValues > 3 * 2000);
        // Every gate verdict of the copied results.json was compared (a count read from the file, not pinned: the gate set grows).
        int verdicts = ((System.Text.Json.Nodes.JsonArray)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_base, "results.json")))!["gates"]!).Count;
        Assert.True(verdicts > 0);
        Assert.Equal(verdicts, d.GateVerdicts);
        Assert.StartsWith($"bit-identical to {_base}: 3 seeds, {rows:N0} metric values", DiffRendering.Summary(d));
    }

    [Fact]
    public void A_metric_moved_by_one_ulp_differs_at_bit_identity_and_passes_within_a_tolerance()
    {
        PlantMetric(2, "forward-backward", "p-sigma", "ks-statistic", Math.BitIncrement);

        var exact = Diff();
        Assert.False(exact.Identical);
        var m = Assert.Single(exact.Metrics);
        Assert.Equal((Experiment, 2L, "forward-backward", "p-sigma", "ks-statistic"), (m.Experiment, m.Seed, m.Reconstruction, m.Reference, m.Metric));
        Assert.True(m.Beyond);
        Assert.Equal(Math.BitIncrement(m.Base!.Value), m.New);
        Assert.Empty(exact.FileChanges);
        Assert.Contains("1 of", DiffRendering.Summary(exact));

        var tolerant = Diff(new DiffTolerance(1e-12, 0));
        Assert.True(tolerant.Identical);
        Assert.False(tolerant.BitIdentical);
        Assert.False(Assert.Single(tolerant.Metrics).Beyond);
        Assert.Contains("1 numbers moved within tolerance", DiffRendering.Summary(tolerant));
    }

    [Fact]
    public void A_planted_metric_beyond_tolerance_is_listed_with_base_new_and_change()
    {
        PlantMetric(3, "training", "p-sigma", "score-relative-l2", _ => 0.5);

        var d = Diff(new DiffTolerance(1e-3, 1e-6));
        var m = Assert.Single(d.Metrics);
        Assert.True(m.Beyond);
        Assert.Equal(0.5, m.New);
        Assert.Equal(0.5 - m.Base!.Value, m.Change);
        string text = DiffRendering.Text(d);
        Assert.Contains($"{Experiment}/seed-3/training/p-sigma/score-relative-l2", text);
    }

    [Fact]
    public void A_changed_sample_is_found_at_its_row_and_column()
    {
        string path = NewSeed(1, "samples-generation.csv");
        var lines = File.ReadAllLines(path);
        double old = double.Parse(lines[17], CultureInfo.InvariantCulture); // data row 17 (line 18)
        lines[17] = (old + 0.25).ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllLines(path, lines);

        var d = Diff();
        var f = Assert.Single(d.FileChanges);
        Assert.Equal($"{Experiment}/seed-1/samples-generation.csv", f.Path);
        Assert.Equal(1, f.NotBitIdentical);
        Assert.Equal(1, f.Beyond);
        Assert.Equal(0.25, f.MaxAbsolute, 12);
        Assert.Equal("row 17, x1", f.Where);
        Assert.Empty(d.Metrics);
        Assert.False(d.Identical);
        Assert.True(Diff(new DiffTolerance(0, 0.3)).Identical);
    }

    [Fact]
    public void A_changed_weight_is_found_in_its_tensor()
    {
        string path = NewSeed(2, "weights.bin");
        var tensors = TorchStateFile.Read(path, path);
        byte[] bytes = File.ReadAllBytes(path);
        // The file ends with the last tensor's data: change its last float32.
        float last = BitConverter.ToSingle(bytes, bytes.Length - 4);
        BitConverter.GetBytes(last + 1f).CopyTo(bytes, bytes.Length - 4);
        File.WriteAllBytes(path, bytes);

        var f = Assert.Single(Diff().FileChanges);
        Assert.Equal($"{Experiment}/seed-2/weights.bin", f.Path);
        Assert.Equal(1, f.NotBitIdentical);
        Assert.Equal($"{tensors[^1].Name}[{tensors[^1].Values!.Length - 1}]", f.Where);
        Assert.Equal(tensors.Sum(t => t.Values!.Length), f.Values);
    }

    [Fact]
    public void Weights_read_with_the_shapes_of_the_definitions_network()
    {
        // experiments/dsm-1d-two-gaussians.json: mlp, hidden 64, layers 3, data in 1D: Linear(1→64), 2 × Linear(64→64), Linear(64→1).
        string path = Path.Combine(_base, Experiment, "seed-1", "weights.bin");
        var tensors = TorchStateFile.Read(path, path);

        Assert.Equal(
            ["_net.0.weight[64×1]", "_net.0.bias[64]", "_net.2.weight[64×64]", "_net.2.bias[64]", "_net.4.weight[64×64]", "_net.4.bias[64]", "_net.6.weight[1×64]", "_net.6.bias[1]"],
            tensors.Select(t => $"{t.Name}[{string.Join("×", t.Shape)}]"));
        Assert.All(tensors, t => Assert.Equal(6, t.DType)); // float32
        Assert.All(tensors.SelectMany(t => t.Values!), v => Assert.True(double.IsFinite(v) && Math.Abs(v) < 100));
    }

    [Fact]
    public void A_flipped_gate_is_reported_with_both_verdicts()
    {
        string path = Path.Combine(_new, "results.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        string id = $"{Experiment}/training/p-sigma/score-relative-l2/seed-2";
        var gate = root["gates"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == id)!;
        gate["value"] = 0.5;
        gate["passed"] = false;
        File.WriteAllText(path, root.ToJsonString());

        var d = Diff();
        var flip = Assert.Single(d.Gates);
        Assert.Equal((id, true, false, 0.5, "<= 0.2"), (flip.Id, flip.BasePassed!.Value, flip.NewPassed!.Value, flip.NewValue!.Value, flip.Gate));
        Assert.False(d.Identical);
        Assert.Contains("1 gate verdicts flipped", DiffRendering.Summary(d));
        Assert.Contains($"{id}  pass → FAIL", DiffRendering.Text(d));
        Assert.Contains("| FAIL |", DiffRendering.Markdown(d));
    }

    [Fact]
    public void Timings_are_ignored_but_a_changed_status_is_a_difference()
    {
        string path = NewSeed(1, "run.json");
        var run = JsonNode.Parse(File.ReadAllText(path))!;
        run["Seconds"] = 1234.5;
        run["Training"]!["StepsPerSecond"] = 1.0;
        File.WriteAllText(path, run.ToJsonString());
        Assert.True(Diff().BitIdentical);

        run["Status"] = "diverged";
        File.WriteAllText(path, run.ToJsonString());
        var f = Assert.Single(Diff().FileChanges);
        Assert.Equal("Status: \"ok\" → \"diverged\"", Assert.Single(f.Problems));
    }

    [Fact]
    public void A_different_thread_count_is_a_note_not_a_difference()
    {
        string path = NewSeed(1, "run.json");
        var run = JsonNode.Parse(File.ReadAllText(path))!;
        run["Threads"] = 2;
        File.WriteAllText(path, run.ToJsonString());

        var d = Diff();
        Assert.True(d.BitIdentical);
        Assert.Contains(d.Notes, n => n.StartsWith("Threads differs: 1 in", StringComparison.Ordinal));
    }

    [Fact]
    public void Seeds_and_files_on_one_side_only_are_differences()
    {
        Directory.Delete(Path.Combine(_new, Experiment, "seed-3"), recursive: true);
        File.Delete(NewSeed(1, "score-grid.csv"));

        var d = Diff(new DiffTolerance(1, 1));
        Assert.Equal([$"{Experiment}/seed-3"], d.OnlyInBase);
        Assert.Empty(d.OnlyInNew);
        Assert.Equal($"only in {_base}", Assert.Single(Assert.Single(d.FileChanges).Problems));
        Assert.False(d.Identical);
    }

    [Fact]
    public void A_corrupt_file_is_one_error_naming_file_line_and_column()
    {
        string path = NewSeed(2, "trajectories-generation.csv");
        var lines = File.ReadAllLines(path);
        string[] cells = lines[5].Split(',');
        cells[^1] = "abc";
        lines[5] = string.Join(",", cells);
        File.WriteAllLines(path, lines);

        var e = Assert.Throws<InputException>(() => Diff());
        string column = File.ReadLines(path).First().Split(',')[^1];
        Assert.Equal($"{path}:6: {column} is not a number (got \"abc\")", e.Message);
    }

    [Fact]
    public void A_truncated_weights_file_is_an_error_naming_it()
    {
        string path = NewSeed(3, "weights.bin");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InputException>(() => Diff());
        Assert.StartsWith($"{path}: not a TorchSharp weights file (truncated", e.Message);
    }

    [Fact]
    public void A_missing_folder_or_one_without_results_is_an_error()
    {
        string none = Path.Combine(_dir, "none");
        Assert.Equal($"{none}: no such results folder", Assert.Throws<InputException>(() => ResultsDiff.Compare(_base, none, DiffTolerance.Exact)).Message);
        Directory.CreateDirectory(none);
        Assert.StartsWith($"{none}: holds no results", Assert.Throws<InputException>(() => ResultsDiff.Compare(none, _new, DiffTolerance.Exact)).Message);
    }

    [Fact]
    public void Json_lists_every_difference()
    {
        PlantMetric(1, "forward-backward", "p-sigma", "ks-statistic", v => v * 2);
        PlantMetric(2, "forward-backward", "p-sigma", "ks-statistic", v => v * 3);

        var json = JsonNode.Parse(DiffRendering.Json(Diff()))!;
        Assert.False(json["identical"]!.GetValue<bool>());
        Assert.Equal(2, json["metrics"]!.AsArray().Count);
        // Largest relative change first.
        Assert.Equal(2, json["metrics"]![0]!["seed"]!.GetValue<long>());
        Assert.Equal(2.0, json["metrics"]![0]!["relativeChange"]!.GetValue<double>(), 12);
    }

    /// <summary>The base's null values of <paramref name="metric"/> at the σ of (<paramref name="reconstruction"/>, <paramref name="reference"/>), one per seed, read straight from the CSV.</summary>
    double[] NullValues(string reconstruction, string reference, string metric)
    {
        double SigmaOf(string[][] rows, string rec) => double.Parse(rows.Single(r => r[2] == rec && r[3] == reference && r[4] == "sigma")[5], CultureInfo.InvariantCulture);
        var values = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var rows = File.ReadAllLines(Path.Combine(_base, Experiment, $"seed-{seed}", "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
            double sigma = SigmaOf(rows, reconstruction);
            // Every reconstruction aiming at that σ carries the same null sample: take the first.
            var first = rows.First(r => r[3] == "null-" + reference && r[4] == metric && SigmaOf(rows, r[2]) == sigma);
            values.Add(double.Parse(first[5], CultureInfo.InvariantCulture));
        }
        return values.ToArray();
    }

    double BaseValue(int seed, string reconstruction, string reference, string metric) =>
        double.Parse(File.ReadAllLines(Path.Combine(_base, Experiment, $"seed-{seed}", "metrics.csv"))
            .Single(l => l.StartsWith($"{Experiment},{seed},{reconstruction},{reference},{metric},", StringComparison.Ordinal)).Split(',')[5], CultureInfo.InvariantCulture);

    [Fact]
    public void Under_the_null_spread_a_distance_may_move_three_null_spreads()
    {
        // ks-statistic declares null level 0: its null spread is the RMS of the three seeds' null values.
        var nulls = NullValues("forward-backward", "p-sigma", "ks-statistic");
        double spread = Math.Sqrt(nulls.Average(v => v * v));
        Assert.InRange(spread, 0.005, 0.05); // a KS distance of 2000 exact draws: E D ≈ 0.87/√2000 ≈ 0.019

        PlantMetric(2, "forward-backward", "p-sigma", "ks-statistic", v => v + 2.9 * spread);
        var within = Diff(DiffTolerance.ByNullSpread);
        var m = Assert.Single(within.Metrics);
        Assert.False(m.Beyond);
        Assert.Equal("3 × null spread", m.Rule);
        Assert.Equal(3 * spread, m.Allowance!.Value, 12);
        Assert.True(within.Identical);
        Assert.False(Diff().Identical); // bit-identity sees it

        PlantMetric(2, "forward-backward", "p-sigma", "ks-statistic", v => v + 0.2 * spread); // now 3.1 spreads from the base
        Assert.True(Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics).Beyond);
    }

    [Fact]
    public void Under_the_null_spread_p_values_compare_verdicts_not_digits()
    {
        double p = BaseValue(1, "forward-backward-exact", "p-sigma", "ks-pvalue");
        Assert.True(p > 0.02, $"a p-value of an exact sampler well above α (got {p})");

        PlantMetric(1, "forward-backward-exact", "p-sigma", "ks-pvalue", _ => 0.011);
        var same = Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics);
        Assert.False(same.Beyond);
        Assert.Equal("verdict at α = 0.01", same.Rule);

        PlantMetric(1, "forward-backward-exact", "p-sigma", "ks-pvalue", _ => 0.009);
        Assert.True(Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics).Beyond);

        PlantMetric(1, "forward-backward-exact", "p-sigma", "ks-pvalue", _ => double.NaN);
        Assert.True(Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics).Beyond);
    }

    [Fact]
    public void Under_the_null_spread_an_estimate_with_a_standard_error_may_move_three_combined_errors()
    {
        double se = BaseValue(3, "training", "p-sigma", "score-relative-l2-se");
        PlantMetric(3, "training", "p-sigma", "score-relative-l2", v => v + 2.9 * Math.Sqrt(2) * se);
        var m = Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics);
        Assert.False(m.Beyond);
        Assert.Equal("3 × combined standard error", m.Rule);
        Assert.Equal(3 * Math.Sqrt(2) * se, m.Allowance!.Value, 12);

        PlantMetric(3, "training", "p-sigma", "score-relative-l2", v => v + 0.2 * Math.Sqrt(2) * se);
        Assert.True(Assert.Single(Diff(DiffTolerance.ByNullSpread).Metrics).Beyond);
    }

    [Fact]
    public void Under_the_null_spread_files_are_judged_through_their_metrics_and_every_metric_states_its_tolerance()
    {
        string path = NewSeed(1, "samples-generation.csv");
        var lines = File.ReadAllLines(path);
        lines[17] = (double.Parse(lines[17], CultureInfo.InvariantCulture) + 0.25).ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllLines(path, lines);

        var d = Diff(DiffTolerance.ByNullSpread);

        Assert.True(d.Identical);
        Assert.Equal(0, Assert.Single(d.FileChanges).Beyond);
        Assert.StartsWith($"identical to {_base} within the null-spread tolerances", DiffRendering.Summary(d));
        Assert.Contains(d.Tolerances, t => t.Metric == "ks-statistic" && t.Rule == "3 × null spread" && t.Smallest > 0);
        Assert.Contains(d.Tolerances, t => t.Metric == "mmd-pvalue" && t.Rule == "verdict at α = 0.01");
        Assert.Contains(d.Tolerances, t => t.Metric == "sigma" && t.Rule == "bit-identity (a setting)");
        Assert.Contains(d.Tolerances, t => t.Metric == "final-loss" && t.Rule.StartsWith("not judged", StringComparison.Ordinal));
        Assert.Contains("ks-statistic: 3 × null spread", DiffRendering.Text(d));
    }

    [Fact]
    public void By_default_bit_identity_is_expected_only_from_the_same_threads_and_packages()
    {
        PlantMetric(2, "forward-backward", "p-sigma", "ks-statistic", Math.BitIncrement);
        Assert.False(Diff(DiffTolerance.Auto).Identical); // same threads and packages: bit-identity

        foreach (int seed in new[] { 1, 2, 3 })
        {
            string path = NewSeed(seed, "run.json");
            var run = JsonNode.Parse(File.ReadAllText(path))!;
            run["Threads"] = 2;
            File.WriteAllText(path, run.ToJsonString());
        }
        var d = Diff(DiffTolerance.Auto);
        Assert.True(d.Identical);
        Assert.True(d.Tolerance.NullSpread);
        Assert.Contains("thread counts differ: judged by each metric's null spread, not bit-identity", d.Notes);
    }
}
