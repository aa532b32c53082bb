using System.Globalization;
using System.Text.Json;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Training.Tests;

/// <summary>
/// TorchScript and state-dict files written by PyTorch 1.13 (Fixtures/torchscript/make_models.py):
/// loaded outputs against PyTorch's own, exact-score modules against Core's truth, malformed files
/// against the one-line errors listed in expected-errors.json.
/// </summary>
public class TorchScriptScoreTests
{
    static readonly string Fixtures = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "tests", "Repro.Training.Tests", "Fixtures", "torchscript");

    static string Fixture(string name) => Path.Combine(Fixtures, name);

    static Mixture Target(string experiment) =>
        ExperimentDefinition.Load(Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments", experiment + ".json")).Data.BuildTarget();

    /// <summary>PyTorch's outputs: file → (sigma or NaN, x rows, s rows).</summary>
    static (double Sigma, double[] X, double[] S)[] Expected(string file)
    {
        var rows = new List<(double, double[], double[])>();
        foreach (string line in File.ReadLines(Fixture("expected-outputs.csv")).Skip(1))
        {
            var f = line.Split(',');
            if (f[0] != file) continue;
            double P(string v) => double.Parse(v, CultureInfo.InvariantCulture);
            double sigma = f[1].Length == 0 ? double.NaN : P(f[1]);
            var x = new[] { f[2], f[3] }.Where(v => v.Length > 0).Select(P).ToArray();
            var s = new[] { f[4], f[5] }.Where(v => v.Length > 0).Select(P).ToArray();
            rows.Add((sigma, x, s));
        }
        Assert.NotEmpty(rows);
        return rows.ToArray();
    }

    [Theory]
    [InlineData("seed-mlp-1d.pt", 1)]
    [InlineData("exact-1d-two-gaussians.pt", 1)]
    [InlineData("exact-1d-two-gaussians-scaled.pt", 1)]
    [InlineData("exact-2d-two-blobs.pt", 2)]
    [InlineData("exact-2d-two-blobs-conditional.pt", 2)]
    public void A_loaded_module_gives_PyTorchs_outputs_to_float32_rounding(string file, int d)
    {
        TorchRuntime.Initialise(threads: 1);
        using var score = TorchScriptScore.Load(Fixture(file), d, sigma: 1.25);
        foreach (var (sigma, x, expected) in Expected(file))
        {
            var s = new double[d];
            score.Score(x, score.IsNoiseConditional ? sigma : 1.25, s);
            for (int k = 0; k < d; k++)
                Assert.True(Math.Abs(s[k] - expected[k]) <= 2e-7 * Math.Max(1, Math.Abs(expected[k])), $"{file} at x = {x[0]}: {s[k]} vs PyTorch {expected[k]}");
        }
    }

    [Fact]
    public void Only_the_conditional_module_is_noise_conditional()
    {
        TorchRuntime.Initialise(threads: 1);
        using var plain = TorchScriptScore.Load(Fixture("exact-2d-two-blobs.pt"), 2, 1.25);
        using var conditional = TorchScriptScore.Load(Fixture("exact-2d-two-blobs-conditional.pt"), 2, 1.25);
        Assert.False(plain.IsNoiseConditional);
        Assert.True(conditional.IsNoiseConditional);
        var error = Assert.Throws<InvalidOperationException>(() => plain.Score(new double[2], 0.5, new double[2]));
        Assert.Contains("σ = 1.25 only", error.Message);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.7)]
    [InlineData(2.5)]
    public void The_conditional_exact_module_matches_Cores_smoothed_score_at_any_sigma(double sigma)
    {
        TorchRuntime.Initialise(threads: 1);
        var target = Target("dsm-2d-two-blobs");
        using var score = TorchScriptScore.Load(Fixture("exact-2d-two-blobs-conditional.pt"), 2, sigma);
        var x = new Points([-6, 1, -1, -0.5, 0.3, 0.2, 2, 2, 4.5, -1.5, 3, 0], 2);
        var s = new double[x.Data.Length];
        score.Score(x.Data, sigma, s);
        var truth = target.Score(x, Smoothing.Gaussian(sigma));
        for (int i = 0; i < s.Length; i++)
            Assert.True(Math.Abs(s[i] - truth.Data[i]) <= 1e-6 * Math.Max(1, Math.Abs(truth.Data[i])), $"σ = {sigma}, entry {i}: {s[i]} vs {truth.Data[i]}");
    }

    [Theory]
    [InlineData("not-a-model.pt", 2)]
    [InlineData("wrong-signature.pt", 2)]
    [InlineData("wrong-output-shape.pt", 2)]
    [InlineData("float64-model.pt", 1)]
    [InlineData("nan-output.pt", 1)]
    [InlineData("traced-conditional-fixed-sigma.pt", 2)]
    [InlineData("seed-mlp-1d.state.pt", 1)]
    public void A_malformed_module_fails_with_one_line_that_says_what_to_pass(string file, int d)
    {
        TorchRuntime.Initialise(threads: 1);
        var error = Assert.Throws<ModelFileException>(() => TorchScriptScore.Load(Fixture(file), d, 1.25));
        AssertOneLine(file, error.Message);
    }

    [Fact]
    public void The_seeds_state_dict_loads_strictly_into_ScoreNet_with_the_same_weights_and_outputs_as_its_TorchScript_copy()
    {
        TorchRuntime.Initialise(threads: 1);
        using var net = PyTorchStateDict.LoadScoreNet(Fixture("seed-mlp-1d.state.pt"));
        Assert.Equal((1, 16, 2), (net.Dimension, net.Hidden, net.Layers));
        using var scripted = TorchScriptScore.Load(Fixture("seed-mlp-1d.pt"), 1, 1.0);
        var learned = new LearnedScore(net, 1.0);
        var x = new double[] { -3, -0.5, 0, 0.7, 2.5 };
        var a = new double[5];
        var b = new double[5];
        learned.Score(x, 1.0, a);
        scripted.Score(x, 1.0, b);
        // Same weights through the same libtorch: the same bits.
        Assert.Equal(b, a);
        using var module = TorchSharp.torch.jit.load(Fixture("seed-mlp-1d.pt"));
        var weights = module.named_parameters().ToDictionary(p => "_" + p.name, p => p.parameter.data<float>().ToArray());
        foreach (var (key, value) in net.state_dict())
            Assert.Equal(weights[key], value.data<float>().ToArray());
        // Against PyTorch 1.13's own outputs: libtorch 2.10's float32 kernels round differently (~3e-8).
        foreach (var (_, px, ps) in Expected("seed-mlp-1d.pt"))
        {
            var s = new double[1];
            learned.Score(px, 1.0, s);
            Assert.True(Math.Abs(s[0] - ps[0]) <= 2e-7 * Math.Max(1, Math.Abs(ps[0])), $"{s[0]} vs PyTorch {ps[0]}");
        }
    }

    [Fact]
    public void Repros_own_ScoreNet_keeps_its_layers_under_underscore_net()
    {
        TorchRuntime.Initialise(threads: 1);
        using var net = new ScoreNet(1, 4, 2, new Repro.Core.Random.RandomStream(1));
        Assert.Equal(["_net.0.bias", "_net.0.weight", "_net.2.bias", "_net.2.weight", "_net.4.bias", "_net.4.weight"],
            net.state_dict().Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("seed-mlp-1d.legacy.pt")]
    [InlineData("seed-mlp-1d.renamed.pt")]
    public void A_state_dict_that_does_not_fit_fails_with_one_line(string file)
    {
        TorchRuntime.Initialise(threads: 1);
        var error = Assert.Throws<ModelFileException>(() => PyTorchStateDict.LoadScoreNet(Fixture(file)));
        AssertOneLine(file, error.Message);
    }

    static void AssertOneLine(string file, string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith(Fixture(file) + ": ", message);
        var fragments = JsonDocument.Parse(File.ReadAllText(Fixture("expected-errors.json"))).RootElement.GetProperty(file);
        foreach (var fragment in fragments.EnumerateArray())
            Assert.Contains(fragment.GetString()!, message);
    }
}
