using System.Globalization;
using System.Text.Json;

namespace Repro.Cli.Tests;

public sealed class StatsCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-stats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Csv(string name, IEnumerable<(double, double)> points)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, new[] { "x1,x2" }.Concat(points.Select(p => FormattableString.Invariant($"{p.Item1},{p.Item2}"))));
        return path;
    }

    /// <summary>The JSON row named <paramref name="name"/> (rows are named as in metrics.csv).</summary>
    static JsonElement Row(JsonElement json, string name) =>
        json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    /// <summary>49 exact draws of p_σ of dsm-2d-two-blobs and the two points (±1e200, ∓1e200): the Stein kernel meets ∞ − ∞.</summary>
    string Overflowing()
    {
        var target = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json")).Data.BuildTarget();
        var draws = target.Sample(49, Repro.Core.Targets.Smoothing.Gaussian(1.25), new Repro.Core.Random.RandomStream(5).Child("test"));
        return Csv("overflow.csv", Enumerable.Range(0, draws.Count).Select(i => (draws[i][0], draws[i][1])).Concat([(1e200, -1e200), (-1e200, 1e200)]));
    }

    [Fact]
    public void A_NaN_statistic_is_undefined_never_a_pass_and_exits_1()
    {
        string a = Overflowing();

        var text = CliRun.Of("stats", "ksd", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);
        var run = CliRun.Of("stats", "ksd", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--json");

        Assert.Equal(ReproApp.GateFailed, text.ExitCode);
        Assert.Contains(text.Out.Split('\n'), l => l.StartsWith("ksd-pvalue") && l.TrimEnd().EndsWith("undefined (NaN)"));
        Assert.DoesNotContain("no test rejects", text.Out);
        Assert.Contains("ksd-pvalue came out NaN on this sample", text.Out);
        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        var p = Row(json, "ksd-pvalue");
        Assert.Equal(JsonValueKind.Null, p.GetProperty("value").ValueKind);
        Assert.Equal("undefined (NaN)", p.GetProperty("verdict").GetString());
        Assert.True(json.GetProperty("rejected").GetBoolean());
        Assert.Contains("ksd-pvalue", json.GetProperty("undefined").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Sample_check_calls_a_NaN_p_value_undefined_and_exits_1()
    {
        string a = Overflowing();

        var text = CliRun.Of("sample-check", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--quick");
        var run = CliRun.Of("sample-check", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--quick", "--json");

        Assert.Equal(ReproApp.GateFailed, text.ExitCode);
        string verdict = text.Out.Split('\n').Single(l => l.StartsWith("verdict:"));
        Assert.StartsWith("verdict: undefined against p_σ: ", verdict);
        Assert.Contains("ksd-pvalue", verdict);
        Assert.Contains("= undefined (NaN)", verdict);
        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        var v = JsonDocument.Parse(run.Out).RootElement.GetProperty("verdict");
        Assert.False(v.GetProperty("consistent").GetBoolean());
        Assert.Contains("ksd-pvalue", v.GetProperty("undefined").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Mmd_json_names_its_rows_as_metrics_csv_does_and_uses_the_bandwidth_it_was_given()
    {
        string a = Csv("a.csv", Enumerable.Range(0, 40).Select(i => (Math.Sin(i), Math.Cos(3 * i))));
        string b = Csv("b.csv", Enumerable.Range(0, 30).Select(i => (Math.Sin(i + 0.5), Math.Cos(3 * i + 1))));

        var run = CliRun.Of("stats", "mmd", a, b, "--bandwidth", "0.7", "--permutations", "99", "--seed", "3", "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(["mmd2", "mmd-bandwidth", "mmd-pvalue"], json.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(0.7, Row(json, "mmd-bandwidth").GetProperty("value").GetDouble());
        Assert.Equal(99, json.GetProperty("settings").GetProperty("permutations").GetInt32());
        var p = Row(json, "mmd-pvalue");
        Assert.InRange(p.GetProperty("value").GetDouble(), 0.01, 1);
        Assert.Equal("pass", p.GetProperty("verdict").GetString());
        Assert.Equal("—", Row(json, "mmd2").GetProperty("verdict").GetString());
        Assert.Equal(0.01, json.GetProperty("alpha").GetDouble());
        // The same test as Mmd.Test at h = 0.7: the statistic is the unbiased MMD² of the two samples.
        var x = Repro.Results.PointsCsv.Read(a);
        var y = Repro.Results.PointsCsv.Read(b);
        Assert.Equal(Repro.Core.Metrics.Mmd.Statistic(x, y, 0.7).Unbiased, Row(json, "mmd2").GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void The_ks_line_says_which_form_ran_one_sample_against_a_law_or_two_sample_against_a_sample()
    {
        string a = Csv("a.csv", Enumerable.Range(0, 60).Select(i => (Math.Sin(i) - 1, Math.Cos(3 * i))));
        string b = Csv("b.csv", Enumerable.Range(0, 50).Select(i => (Math.Sin(i + 0.5), Math.Cos(3 * i + 1))));

        var exact = CliRun.Of("stats", "ks", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments).Out.Split('\n')[1];
        var two = CliRun.Of("stats", "ks", a, b).Out.Split('\n')[1];
        var oneD = CliRun.Of("stats", "ks", a, "--against", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments);

        Assert.StartsWith("one-sample KS of each of the 2 coordinates against the law's exact marginal CDFs; ks-statistic = the largest D, ks-pvalue = min(1, 2·smallest p)", exact);
        Assert.DoesNotContain("two-sample", exact);
        Assert.StartsWith("two-sample KS of each of the 2 coordinates against the second sample (n = 50);", two);
        Assert.DoesNotContain("exact", two);
        // A 2-column file against a 1D experiment is refused; the 1D wording is checked on a 1D file.
        Assert.Equal(ReproApp.BadInput, oneD.ExitCode);
        string x = Path.Combine(_dir, "x.csv");
        File.WriteAllLines(x, new[] { "x1" }.Concat(Enumerable.Range(0, 40).Select(i => (Math.Sin(i) * 3).ToString("R", CultureInfo.InvariantCulture))));
        var line = CliRun.Of("stats", "ks", x, "--against", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments).Out.Split('\n')[1];
        Assert.StartsWith("one-sample KS of the coordinate against the law's exact marginal CDF; ks-statistic = D, ks-pvalue = its p-value", line);
    }

    [Fact]
    public void Modes_against_the_control_flags_an_even_split()
    {
        string a = Csv("split.csv", Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? (5.0 + 0.01 * i, 5.0) : (-5.0, -5.0 + 0.01 * i)));

        var run = CliRun.Of("stats", "modes", a, "--against", "ncsn-mode-weights", "--experiments", RepoPaths.Experiments, "--json");

        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.StartsWith("against p₀ of ncsn-mode-weights", json.GetProperty("law").GetString());
        Assert.Equal("mode-weights", json.GetProperty("test").GetString()); // "modes" is kept as an alias
        Assert.Equal(0.5, Row(json, "mode-share-1").GetProperty("value").GetDouble());
        var row = Row(json, "mode-weight-pvalue");
        Assert.True(row.GetProperty("value").GetDouble() < 1e-10);
        Assert.Equal("reject", row.GetProperty("verdict").GetString());
        Assert.InRange(row.GetProperty("null_value").GetDouble(), 1e-4, 1); // a fresh exact sample of p₀
    }

    [Fact]
    public void A_malformed_sample_exits_2_with_its_file_and_line()
    {
        string a = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(a, "x1,x2\n1,2\n3\n");

        var run = CliRun.Of("stats", "moments", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {a}:3: expected 2 values (got 1)"], run.ErrorLines);
    }

    /// <summary>n exact draws of the experiment's p_σ at <paramref name="sigma"/>, as a CSV.</summary>
    string Exact(string name, string experiment, double sigma, int n, ulong seed)
    {
        var definition = Repro.Core.Definitions.ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, experiment + ".json"));
        var x = definition.Data.BuildTarget().Sample(n, Repro.Core.Targets.Smoothing.Gaussian(sigma), new Repro.Core.Random.RandomStream(seed));
        return Csv(name, Enumerable.Range(0, n).Select(i => (x[i][0], x[i][1])));
    }

    [Fact]
    public void Against_an_experiment_defaults_to_its_training_p_sigma_and_says_so()
    {
        string a = Exact("psigma.csv", "dsm-2d-two-blobs", 1.25, 2000, 7);

        var run = CliRun.Of("stats", "ks", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Contains("against p_σ of dsm-2d-two-blobs, σ = 1.25 (the training σ of dsm-2d-two-blobs; --sigma 0 for p₀)", run.Out);
        Assert.Contains("null value", run.Out);
        Assert.Contains("no test rejects at α = 0.01", run.Out);

        var p0 = CliRun.Of("stats", "ks", a, "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--sigma", "0");
        Assert.Equal(ReproApp.GateFailed, p0.ExitCode);
        Assert.Contains("against p₀ of dsm-2d-two-blobs (--sigma)", p0.Out);
        Assert.Contains("reject", p0.Out);
    }

    [Fact]
    public void A_numpy_savetxt_header_is_read_and_a_binary_file_is_refused_without_echoing_it()
    {
        string a = Exact("psigma.csv", "dsm-2d-two-blobs", 1.25, 500, 8);
        string numpy = Path.Combine(_dir, "numpy.csv");
        File.WriteAllLines(numpy, File.ReadAllLines(a).Select((l, i) => i == 0 ? "# x1,x2" : l));
        Assert.Equal(ReproApp.Ok, CliRun.Of("stats", "ks", numpy, a).ExitCode);

        string binary = Path.Combine(_dir, "samples.bin");
        File.WriteAllBytes(binary, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0x76, 0, (byte)'{']);
        var run = CliRun.Of("stats", "ks", binary, a);
        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {binary}: not a CSV text file (binary data); expected a header x1,...,xd and one point per line"], run.ErrorLines);
    }

    [Fact]
    public void Errors_name_the_file_that_has_the_problem()
    {
        string a = Exact("psigma.csv", "dsm-2d-two-blobs", 1.25, 200, 9);
        string constant = Csv("constant.csv", Enumerable.Repeat((-0.27829495, 1.0), 10));
        var moments = CliRun.Of("stats", "moments", a, constant);
        Assert.Equal(ReproApp.BadInput, moments.ExitCode);
        Assert.StartsWith($"error: {constant}: moments: coordinate 1 is constant to rounding", moments.Error);

        string one = Path.Combine(_dir, "one.csv");
        File.WriteAllText(one, "x1\n1\n2\n");
        var mismatch = CliRun.Of("stats", "ks", a, one);
        Assert.Equal(ReproApp.BadInput, mismatch.ExitCode);
        Assert.Contains($"{one}:1: expected 2 columns x1..x2 as the first sample {a} has (got 1)", mismatch.Error);
    }
}
