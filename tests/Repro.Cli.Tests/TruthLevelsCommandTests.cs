using System.Globalization;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro truth --scale A --sigma S</c> and <c>--t T --schedule KIND(...)</c> against SciPy/NumPy values
/// of the law of a·x₀ + σ·ε at VE, VP and EDM levels from σ = 0.01 to 50
/// (tests/Repro.Core.Tests/Fixtures/diffusion/make_fixtures.py).
/// </summary>
public sealed class TruthLevelsCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-truth-levels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static List<JsonElement> Cases()
    {
        string path = Path.Combine(RepoPaths.Root, "tests", "Repro.Core.Tests", "Fixtures", "diffusion", "truth-levels.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("scale")]
    [InlineData("time")]
    public void Truth_gives_the_law_of_a_x0_plus_sigma_eps_at_every_level(string form)
    {
        int checkedCases = 0;
        foreach (var c in Cases())
        {
            var rows = c.GetProperty("points").EnumerateArray().ToList();
            int d = rows[0].GetProperty("x").GetArrayLength();
            string points = Path.Combine(_dir, $"p{checkedCases}.csv");
            File.WriteAllLines(points, new[] { string.Join(",", Enumerable.Range(1, d).Select(k => $"x{k}")) }
                .Concat(rows.Select(r => string.Join(",", r.GetProperty("x").EnumerateArray().Select(v => F(v.GetDouble()))))));
            string experiment = c.GetProperty("experiment").GetString()!;
            string[] law = form == "scale"
                ? ["--scale", F(c.GetProperty("a").GetDouble()), "--sigma", F(c.GetProperty("sigma").GetDouble())]
                : ["--time", F(c.GetProperty("t").GetDouble()), "--schedule", c.GetProperty("schedule").GetString()!];

            var run = CliRun.Of(["truth", experiment, "--experiments", RepoPaths.Experiments, "--points", points, .. law]);

            Assert.True(run.ExitCode == ReproApp.Ok, run.Error);
            var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            int logp = Array.IndexOf(header, "logp_sigma"), score = Array.IndexOf(header, "score_sigma1");
            for (int i = 0; i < rows.Count; i++)
            {
                var values = lines[i + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                double expected = rows[i].GetProperty("logp").GetDouble();
                string where = $"{experiment} {string.Join(" ", law)} point {i}";
                Assert.True(Math.Abs(values[logp] - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{where}: log p {values[logp]:R} vs {expected:R}");
                var s = rows[i].GetProperty("score").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                double norm = Math.Sqrt(s.Sum(v => v * v));
                for (int k = 0; k < d; k++)
                    Assert.True(Math.Abs(values[score + k] - s[k]) <= 1e-8 * Math.Max(1, norm), $"{where}: score {k} {values[score + k]:R} vs {s[k]:R}");
            }
            checkedCases++;
        }
        Assert.Equal(60, checkedCases);
    }

    [Fact]
    public void Scale_one_is_today_s_p_sigma()
    {
        string points = Path.Combine(_dir, "p.csv");
        File.WriteAllText(points, "x1\n0\n2\n");

        var plain = CliRun.Of("truth", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments, "--points", points, "--sigma", "1");
        var scaled = CliRun.Of("truth", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments, "--points", points, "--sigma", "1", "--scale", "1");

        Assert.Equal(ReproApp.Ok, scaled.ExitCode);
        Assert.Equal(plain.Out, scaled.Out);
    }

    [Theory]
    [InlineData(new[] { "--time", "0.5" }, "error: experiments/dsm-1d-two-gaussians.json: --time needs --schedule KIND(...): experiment dsm-1d-two-gaussians uses no schedule")]
    [InlineData(new[] { "--time", "2", "--schedule", "vp(betaMin=0.1,betaMax=20)" }, "error: --time: must be in [0.001, 1], the vp schedule's time range (got 2)")]
    [InlineData(new[] { "--time", "0.5", "--schedule", "ve(sigmaMin=0.01)" }, "error: --schedule: $.sigmaMax: required field is missing")]
    [InlineData(new[] { "--time", "0.5", "--sigma", "1" }, "error: --time takes a(T) and σ(T) from the schedule: give either --time or --sigma/--scale")]
    [InlineData(new[] { "--scale", "-1", "--sigma", "1" }, "error: --scale: must be ≥ 0 and finite (got -1)")]
    public void Impossible_levels_are_refused_in_one_line(string[] options, string message)
    {
        string points = Path.Combine(_dir, "p.csv");
        File.WriteAllText(points, "x1\n0\n");

        var run = CliRun.Of(["truth", "dsm-1d-two-gaussians", "--experiments", RepoPaths.Experiments, "--points", points, .. options]);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([message.Replace("experiments/", RepoPaths.Experiments + "/")], run.ErrorLines);
        Assert.Equal("", run.Out);
    }
}
