using System.Text.Json.Nodes;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Results;
using ScottPlot;

namespace Repro.Reporting.Tests;

/// <summary>
/// The distributions figure frames p₀ and the reconstruction, not a wide start: a diffusion sampler starts from
/// N(0, σ_max²I) with σ_max up to 80, and axes shared with that cloud drew the data and the samples as a dot.
/// The mode-weight figure names the law its numbers are computed against.
/// </summary>
public sealed class DistributionWindowTests
{
    /// <summary>n draws of ½N((−5, −5), I) + ½N((5, 5), I): two blobs like the ncsn control's.</summary>
    static Points TwoBlobs(RandomStream rng, int n)
    {
        var p = Points.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            double centre = i % 2 == 0 ? 5 : -5;
            p.Data[2 * i] = centre + rng.NextGaussian();
            p.Data[2 * i + 1] = centre + rng.NextGaussian();
        }
        return p;
    }

    static Points Gaussian(RandomStream rng, int n, double std)
    {
        var p = Points.Zeros(n, 2);
        for (int i = 0; i < p.Data.Length; i++) p.Data[i] = std * rng.NextGaussian();
        return p;
    }

    static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    [Fact]
    public void A_prior_start_of_sd_80_gets_its_own_axes_and_the_others_frame_p0_and_the_samples()
    {
        var rng = new RandomStream(7);
        var reference = TwoBlobs(rng.Child("p0"), 2000);
        var samples = TwoBlobs(rng.Child("samples"), 2000);
        var start = Gaussian(rng.Child("start"), 2000, 80);

        var mp = Plots.DistributionsPlot(reference, start, samples, "start: gaussian", "reverse-sde", null, null, 0);

        for (int k = 0; k < 2; k++)
        {
            double p0Spread = Quantile(reference.Column(k), 0.995) - Quantile(reference.Column(k), 0.005);
            foreach (int panel in new[] { 0, 2 })
            {
                var axis = k == 0 ? mp.GetPlot(panel).Axes.Bottom.Range : mp.GetPlot(panel).Axes.Left.Range;
                // The window covers the samples' central 99% …
                Assert.True(axis.Min <= Quantile(samples.Column(k), 0.005) && axis.Max >= Quantile(samples.Column(k), 0.995),
                    $"panel {panel}, x{k + 1}: [{axis.Min}, {axis.Max}] misses the samples' central 99%");
                // … and is within a small factor of p₀'s spread (axes shared with the start were ≈ 30 times wider).
                Assert.True(axis.Max - axis.Min <= 1.5 * p0Spread, $"panel {panel}, x{k + 1}: width {axis.Max - axis.Min} against p₀'s spread {p0Spread}");
            }
            // The start's own panel shows the start's central 99%.
            var own = k == 0 ? mp.GetPlot(1).Axes.Bottom.Range : mp.GetPlot(1).Axes.Left.Range;
            Assert.True(own.Min <= Quantile(start.Column(k), 0.005) && own.Max >= Quantile(start.Column(k), 0.995), $"start panel, x{k + 1}");
        }
        // It says so in its title, and marks the other panels' window on its own axes.
        Assert.Contains("on its own axes", mp.GetPlot(1).Axes.Title.Label.Text);
        var box = mp.GetPlot(1).GetPlottables<ScottPlot.Plottables.Rectangle>().Single();
        Assert.Equal(mp.GetPlot(0).Axes.Bottom.Range.Min, box.X1, 10);
        Assert.Equal(mp.GetPlot(0).Axes.Bottom.Range.Max, box.X2, 10);
        Assert.Contains("drawn on its own axes", ExperimentPage.WindowCaption(Plots.DistributionWindows(reference, start, samples)));
    }

    [Fact]
    public void A_forward_noised_start_shares_one_window_with_p0_and_the_samples()
    {
        var rng = new RandomStream(7);
        var reference = TwoBlobs(rng.Child("p0"), 2000);
        var samples = TwoBlobs(rng.Child("samples"), 2000);
        var start = TwoBlobs(rng.Child("x0"), 2000);
        var noise = Gaussian(rng.Child("noise"), 2000, 1.25);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] += noise.Data[i];

        var window = Plots.DistributionWindows(reference, start, samples);
        var mp = Plots.DistributionsPlot(reference, start, samples, "start: forward-noised", "forward-backward", null, null, 0);

        Assert.False(window.StartApart);
        foreach (var plot in mp.GetPlots())
        {
            Assert.Equal(mp.GetPlot(0).Axes.Bottom.Range.Min, plot.Axes.Bottom.Range.Min, 12);
            Assert.Equal(mp.GetPlot(0).Axes.Left.Range.Max, plot.Axes.Left.Range.Max, 12);
        }
        Assert.Empty(mp.GetPlot(1).GetPlottables<ScottPlot.Plottables.Rectangle>());
        Assert.Equal("start: forward-noised", mp.GetPlot(1).Axes.Title.Label.Text);
    }

    [Fact]
    public void The_mode_weight_figure_names_the_law_each_reconstruction_is_computed_against()
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var d = ExperimentDefinition.Load(Path.Combine(root, "experiments", "ncsn-mode-weights-diffusion.json"));
        var laws = d.Reconstructions.Select(r => (r.Name, ExperimentPage.TargetLaw(r.Sampler.TargetSigma(d.ScoreSigma(r.Score))))).ToArray();

        // The reverse SDE and the probability-flow ODE end at the Tweedie mean: their weights are computed against p₀;
        // annealed Langevin's against p_σ at its last level, σ = 1.
        Assert.Equal("p₀", laws.Single(l => l.Name == "reverse-sde").Item2);
        Assert.Equal("p₀", laws.Single(l => l.Name == "probability-flow").Item2);
        Assert.Equal("p_σ at σ = 1", laws.Single(l => l.Name == "annealed-langevin").Item2);
        var (title, lawText) = ExperimentPage.ModeWeightsReference(laws);
        Assert.DoesNotContain("p_σ", title);
        Assert.Equal("under the law its reconstruction targets (p₀ for reverse-sde, reverse-sde-exact, predictor-corrector, predictor-corrector-exact, probability-flow, probability-flow-exact; p_σ at σ = 1 for annealed-langevin)", lawText);

        // One law for every reconstruction: named in the title itself.
        Assert.Equal(("mean responsibility per component under p₀", "under p₀"), ExperimentPage.ModeWeightsReference([("a", "p₀"), ("b", "p₀")]));
    }
}

/// <summary>The committed ncsn-mode-weights-diffusion results rendered: the page's captions say what the figures show.</summary>
public sealed class DiffusionPageTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-diffusion-page-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_page_of_a_generation_from_noise_names_p0_for_its_weights_and_the_start_s_own_axes()
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var d = ExperimentDefinition.Load(Path.Combine(root, "experiments", "ncsn-mode-weights-diffusion.json"));
        var layout = new ResultsLayout(_dir, Quick: false);
        string from = Path.Combine(root, "reports", d.Name);
        foreach (long seed in d.Seeds)
        {
            string source = Path.Combine(from, $"seed-{seed}"), target = layout.SeedFolder(d.Name, seed);
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source).Where(f => !f.EndsWith("weights.bin", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            // The committed results may predate a change of the definition's gates: read them as current.
            string run = Path.Combine(target, "run.json");
            var node = JsonNode.Parse(File.ReadAllText(run))!;
            node["DefinitionHash"] = d.Hash;
            File.WriteAllText(run, node.ToJsonString());
        }

        string page = MarkdownWriter.Render(ExperimentPage.Build(ExperimentResults.Load(d, layout)));

        Assert.Contains("(dots) under the law its reconstruction targets (p₀ for reverse-sde", page);
        Assert.DoesNotContain("under p_σ (dots)", page);
        Assert.Contains("| reverse-sde | p₀ | 1: gaussian at (5, 5) |", page);
        Assert.Contains("drawn on its own axes", page);
        Assert.True(File.Exists(Path.Combine(layout.ExperimentFolder(d.Name), "figures", "mode-weights.png")));
    }
}
