using Repro.Core.Definitions;
using Repro.Core.Random;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training.Tests;

/// <summary>
/// The noise-conditional MLP (EDM preconditioning with a Fourier embedding of c_noise = ¼ ln σ) against
/// an independent float64 computation from its own weights, EDM's design property (F = 0 gives the exact
/// score of N(0, σ_d² I) at every σ), per-row σ, and its frequencies surviving a save and load.
/// </summary>
public sealed class PreconditionedScoreNetTests
{
    static readonly NoiseEmbeddingConditioning Conditioning = new(SigmaData: 1.7, Frequencies: 3, Scale: 1.5);

    [Fact]
    public void The_score_equals_edm_preconditioning_computed_by_hand_in_float64()
    {
        TorchRuntime.Initialise(threads: 1);
        using var net = new PreconditionedScoreNet(2, 5, 1, Conditioning, new RandomStream(4));
        double[] x = [0.3, -1.2, 4.0, 2.5];
        double[] sigma = [0.05, 7.0];
        var actual = net.forward(tensor(Array.ConvertAll(x, v => (float)v), [2, 2]), tensor(Array.ConvertAll(sigma, v => (float)v))).data<float>().ToArray();

        // The frequencies as drawn: 2π·scale·N(0, 1) from the "fourier" child, as score_sde's GaussianFourierProjection.
        var fourier = new RandomStream(4).Child("fourier");
        double[] f = Enumerable.Range(0, 3).Select(_ => 2 * Math.PI * 1.5 * fourier.NextGaussian()).ToArray();
        var layers = net.named_modules().Select(m => m.module).OfType<Linear>().ToArray();
        double[,] w0 = Matrix(layers[0].weight!), w1 = Matrix(layers[1].weight!);
        double[] b0 = Vector(layers[0].bias!), b1 = Vector(layers[1].bias!);
        for (int i = 0; i < 2; i++)
        {
            double s = sigma[i], sd = 1.7, cIn = 1 / Math.Sqrt(s * s + sd * sd), cNoise = 0.25 * Math.Log(s);
            double[] input = [x[2 * i] * cIn, x[2 * i + 1] * cIn, .. f.Select(v => Math.Sin(v * cNoise)), .. f.Select(v => Math.Cos(v * cNoise))];
            var h = new double[5];
            for (int j = 0; j < 5; j++)
            {
                double z = b0[j];
                for (int k = 0; k < input.Length; k++) z += w0[j, k] * input[k];
                h[j] = z / (1 + Math.Exp(-z)); // SiLU
            }
            for (int c = 0; c < 2; c++)
            {
                double F = b1[c];
                for (int j = 0; j < 5; j++) F += w1[c, j] * h[j];
                // EDM: D = c_skip x + c_out F, score = (D − x)/σ².
                double cSkip = sd * sd / (s * s + sd * sd), cOut = s * sd / Math.Sqrt(s * s + sd * sd);
                double expected = (cSkip * x[2 * i + c] + cOut * F - x[2 * i + c]) / (s * s);
                Assert.Equal(expected, actual[2 * i + c], Math.Abs(expected) * 1e-5 + 1e-5);
            }
        }
    }

    [Fact]
    public void With_a_zero_output_layer_it_is_the_exact_score_of_a_gaussian_of_the_data_scale_at_every_sigma()
    {
        // EDM's design: F = 0 leaves D = c_skip x, the posterior mean for x₀ ~ N(0, σ_d² I), so the score
        // is −x/(σ² + σ_d²), the exact ∇log p_σ of that Gaussian.
        TorchRuntime.Initialise(threads: 1);
        using var net = new PreconditionedScoreNet(2, 8, 2, Conditioning, new RandomStream(5));
        using (no_grad())
        {
            var last = net.named_modules().Select(m => m.module).OfType<Linear>().Last();
            last.weight!.zero_();
            last.bias!.zero_();
        }
        foreach (double sigma in new[] { 0.01, 0.3, 1, 20 })
        {
            var s = net.forward(tensor(new float[] { 1f, -2f }, [1, 2]), full(1, (float)sigma)).data<float>().ToArray();
            double expected = 1 / (sigma * sigma + 1.7 * 1.7);
            Assert.Equal(-1 * expected, s[0], expected * 1e-6);
            Assert.Equal(2 * expected, s[1], expected * 1e-6);
        }
    }

    [Fact]
    public void Each_row_is_answered_at_its_own_sigma()
    {
        TorchRuntime.Initialise(threads: 1);
        using var net = new PreconditionedScoreNet(2, 8, 2, Conditioning, new RandomStream(6));
        var x = tensor(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, [2, 2]);
        var both = net.forward(x, tensor(new float[] { 0.1f, 3f })).data<float>().ToArray();
        var low = net.forward(x[..1], full(1, 0.1f)).data<float>().ToArray();
        var high = net.forward(x[1..], full(1, 3f)).data<float>().ToArray();

        Assert.Equal(low, both[..2]);
        Assert.Equal(high, both[2..]);
        Assert.NotEqual(low, high);
    }

    [Fact]
    public void The_fourier_frequencies_are_saved_with_the_weights()
    {
        TorchRuntime.Initialise(threads: 1);
        string file = Path.Combine(Path.GetTempPath(), $"repro-precond-{Guid.NewGuid():N}.bin");
        try
        {
            using var saved = new PreconditionedScoreNet(2, 8, 2, Conditioning, new RandomStream(7));
            saved.save(file);
            using var loaded = new PreconditionedScoreNet(2, 8, 2, Conditioning, new RandomStream(8));
            loaded.load(file);
            var x = tensor(new float[] { 0.5f, -0.25f }, [1, 2]);

            Assert.Contains("frequencies", saved.state_dict().Keys);
            Assert.Equal(saved.forward(x, full(1, 0.7f)).data<float>().ToArray(), loaded.forward(x, full(1, 0.7f)).data<float>().ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void With_a_constant_noise_label_the_backbone_no_longer_sees_sigma()
    {
        // F = (s + c_in² x)·σ/(c_in σ_d) is the backbone's output on [c_in x, embedding]. Holding c_in·x fixed across two σ,
        // F may differ only through the embedding: it does for the network, and not for the constant-label defect.
        TorchRuntime.Initialise(threads: 1);
        var model = new MlpDefinition(8, 2) { Conditioning = Conditioning };
        using var net = NetworkCatalog.Build(model, 2, new RandomStream(9));
        using var broken = NetworkCatalog.BuildWithConstantNoiseLabel(model, 2, new RandomStream(9));
        double[] Backbone(ScoreNetwork n, double sigma)
        {
            double cIn = 1 / Math.Sqrt(sigma * sigma + 1.7 * 1.7);
            double[] x = [0.8 / cIn, -0.3 / cIn];
            var s = n.forward(tensor(Array.ConvertAll(x, v => (float)v), [1, 2]), full(1, (float)sigma)).data<float>().ToArray();
            return [.. Enumerable.Range(0, 2).Select(c => (s[c] + cIn * cIn * x[c]) * sigma / (cIn * 1.7))];
        }

        Assert.True(Math.Abs(Backbone(net, 0.2)[0] - Backbone(net, 5)[0]) > 1e-2);
        Assert.Equal(Backbone(broken, 0.2)[0], Backbone(broken, 5)[0], 1e-4);
        Assert.Equal(Backbone(broken, 0.2)[1], Backbone(broken, 5)[1], 1e-4);
        Assert.Equal(net.forward(tensor(new float[] { 1f, 1f }, [1, 2]), full(1, 1f)).data<float>().ToArray(),
            broken.forward(tensor(new float[] { 1f, 1f }, [1, 2]), full(1, 1f)).data<float>().ToArray()); // σ = 1 is the constant's own label
        Assert.Throws<InvalidOperationException>(() => NetworkCatalog.BuildWithConstantNoiseLabel(new MlpDefinition(8, 2), 2, new RandomStream(9)));
    }

    static double[,] Matrix(Tensor t)
    {
        var v = t.data<float>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = v[i * cols + j];
        return m;
    }

    static double[] Vector(Tensor t) => Array.ConvertAll(t.data<float>().ToArray(), v => (double)v);
}
