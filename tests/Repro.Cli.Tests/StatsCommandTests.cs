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

    [Fact]
    public void Mmd_json_has_the_documented_fields_and_the_bandwidth_it_was_given()
    {
        string a = Csv("a.csv", Enumerable.Range(0, 40).Select(i => (Math.Sin(i), Math.Cos(3 * i))));
        string b = Csv("b.csv", Enumerable.Range(0, 30).Select(i => (Math.Sin(i + 0.5), Math.Cos(3 * i + 1))));

        var run = CliRun.Of("stats", "mmd", a, b, "--bandwidth", "0.7", "--permutations", "99", "--seed", "3", "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(0.7, json.GetProperty("bandwidth").GetDouble());
        Assert.Equal(99, json.GetProperty("permutations").GetInt32());
        Assert.InRange(json.GetProperty("pvalue").GetDouble(), 0.01, 1);
        Assert.True(json.GetProperty("mmd2_biased").GetDouble() >= json.GetProperty("mmd2_unbiased").GetDouble());
    }

    [Fact]
    public void Modes_against_the_control_flags_an_even_split()
    {
        string a = Csv("split.csv", Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? (5.0 + 0.01 * i, 5.0) : (-5.0, -5.0 + 0.01 * i)));

        var run = CliRun.Of("stats", "modes", a, "--against", "ncsn-mode-weights", "--experiments", RepoPaths.Experiments, "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(0.5, json.GetProperty("modes")[0].GetProperty("argmax_share").GetDouble());
        Assert.True(json.GetProperty("pvalue").GetDouble() < 1e-10);
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
}
