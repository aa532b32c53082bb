using System.Text.Json;
using System.Xml.Linq;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro score-check</c> on the PyTorch fixtures of tests/Repro.Training.Tests/Fixtures/torchscript
/// (made by make_models.py there): exact-score modules written in PyTorch, the same scaled by 1.1,
/// a noise-conditional one, a state dict of the seed's MLP, and malformed files.
/// </summary>
public sealed class ScoreCheckCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-score-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Model(string name) => Path.Combine(RepoPaths.Root, "tests", "Repro.Training.Tests", "Fixtures", "torchscript", name);

    static CliRun Check(params string[] args) =>
        CliRun.Of(["score-check", .. args, "--experiments", RepoPaths.Experiments, "--points", "2000"]);

    static JsonElement Row(JsonElement json, string reference, double sigma, string metric) =>
        json.GetProperty("rows").EnumerateArray().Single(r =>
            r.GetProperty("reference").GetString() == reference && r.GetProperty("sigma").GetDouble() == sigma && r.GetProperty("metric").GetString() == metric);

    [Fact]
    public void The_exact_smoothed_score_written_in_PyTorch_scores_below_1e5_against_p_sigma()
    {
        var run = Check(Model("exact-1d-two-gaussians.pt"), "--against", "dsm-1d-two-gaussians", "--sigma", "1.25", "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.False(json.GetProperty("noise_conditional").GetBoolean());
        var l2 = Row(json, "p-sigma", 1.25, "score-relative-l2");
        Assert.InRange(l2.GetProperty("value").GetDouble(), 0, 1e-5);
        Assert.Equal(2000, l2.GetProperty("points").GetInt32());
        // Against p₀ the σ-smoothed score is far off: what DSM at σ = 1.25 cannot learn.
        Assert.InRange(Row(json, "p0", 1.25, "score-relative-l2").GetProperty("value").GetDouble(), 0.5, 0.9);
    }

    [Fact]
    public void The_same_score_scaled_by_1_1_scores_0_1_and_misses_a_tighter_threshold_with_exit_1_and_a_JUnit_failure()
    {
        string junit = Path.Combine(_dir, "score.xml");
        var run = Check(Model("exact-1d-two-gaussians-scaled.pt"), "--against", "dsm-1d-two-gaussians", "--sigma", "1.25", "--json",
            "--max-relative-l2", "0.05", "--junit", junit);

        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(0.1, Row(json, "p-sigma", 1.25, "score-relative-l2").GetProperty("value").GetDouble(), 1e-3);
        var suites = XDocument.Load(junit).Root!;
        Assert.Equal("1", suites.Attribute("tests")!.Value);
        Assert.Equal("1", suites.Attribute("failures")!.Value);
        Assert.Contains("score-relative-l2 = 0.1", suites.Descendants("failure").Single().Attribute("message")!.Value);
    }

    [Fact]
    public void A_noise_conditional_module_is_checked_at_every_sigma_asked()
    {
        var run = Check(Model("exact-2d-two-blobs-conditional.pt"), "--against", "dsm-2d-two-blobs", "--sigma", "0.05,0.8,3.5", "--json",
            "--max-relative-l2", "1e-5");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.True(json.GetProperty("noise_conditional").GetBoolean());
        foreach (double sigma in new[] { 0.05, 0.8, 3.5 })
        {
            Assert.InRange(Row(json, "p-sigma", sigma, "score-relative-l2").GetProperty("value").GetDouble(), 0, 1e-5);
            var bins = json.GetProperty("rows").EnumerateArray()
                .Where(r => r.GetProperty("sigma").GetDouble() == sigma && r.GetProperty("metric").GetString() == "score-relative-l2-by-distance").ToArray();
            Assert.Equal(2000, bins.Sum(b => b.GetProperty("points").GetInt32()));
        }
        Assert.Equal(3, json.GetProperty("verdicts").GetArrayLength());
    }

    [Fact]
    public void A_state_dict_of_the_seeds_MLP_is_read_with_architecture_mlp()
    {
        var run = Check(Model("seed-mlp-1d.state.pt"), "--architecture", "mlp", "--against", "dsm-1d-two-gaussians", "--json");

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Contains("ScoreNet(1, 16, 2)", json.GetProperty("kind").GetString());
        // An untrained network: nowhere near the truth (the default σ is the experiment's 1.25).
        Assert.True(Row(json, "p-sigma", 1.25, "score-relative-l2").GetProperty("value").GetDouble() > 0.5);
    }

    [Theory]
    [InlineData("not-a-model.pt", "dsm-2d-two-blobs", "")]
    [InlineData("wrong-signature.pt", "dsm-2d-two-blobs", "")]
    [InlineData("wrong-output-shape.pt", "dsm-2d-two-blobs", "")]
    [InlineData("float64-model.pt", "dsm-1d-two-gaussians", "")]
    [InlineData("nan-output.pt", "dsm-1d-two-gaussians", "")]
    [InlineData("traced-conditional-fixed-sigma.pt", "dsm-2d-two-blobs", "")]
    [InlineData("seed-mlp-1d.state.pt", "dsm-1d-two-gaussians", "")]
    [InlineData("seed-mlp-1d.legacy.pt", "dsm-1d-two-gaussians", "mlp")]
    [InlineData("seed-mlp-1d.renamed.pt", "dsm-1d-two-gaussians", "mlp")]
    public void A_malformed_model_gets_one_line_naming_the_file_and_exit_2(string file, string experiment, string architecture)
    {
        string[] extra = architecture.Length > 0 ? ["--architecture", architecture] : [];
        var run = Check([Model(file), "--against", experiment, .. extra]);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {Model(file)}: ", line);
        var expected = JsonDocument.Parse(File.ReadAllText(Model("expected-errors.json"))).RootElement.GetProperty(file);
        foreach (var fragment in expected.EnumerateArray()) Assert.Contains(fragment.GetString()!, line);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void A_single_sigma_model_asked_on_a_grid_gets_one_line_and_exit_2()
    {
        var run = Check(Model("exact-2d-two-blobs.pt"), "--against", "dsm-2d-two-blobs", "--sigma", "0.5,1");

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Contains("answers at one σ only", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Out_writes_a_page_whose_figures_exist_and_whose_rows_are_the_json_rows()
    {
        string out1 = Path.Combine(_dir, "page");
        var run = Check(Model("exact-2d-two-blobs.pt"), "--against", "dsm-2d-two-blobs", "--sigma", "1.25", "--json", "--out", out1);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        string page = File.ReadAllText(Path.Combine(out1, "README.md"));
        var figures = System.Text.RegularExpressions.Regex.Matches(page, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, figures.Length);
        foreach (string figure in figures)
        {
            var bytes = File.ReadAllBytes(Path.Combine(out1, figure));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
        var stdoutRows = JsonDocument.Parse(run.Out).RootElement.GetProperty("rows").GetRawText();
        var fileRows = JsonDocument.Parse(File.ReadAllText(Path.Combine(out1, "score-check.json"))).RootElement.GetRawText();
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(stdoutRows)), JsonSerializer.Serialize(JsonDocument.Parse(fileRows)));
        Assert.Contains("| 1.25 | ∇log p_σ on p_σ |", page);
    }
}
