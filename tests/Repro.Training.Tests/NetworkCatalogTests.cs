using Repro.Core.Definitions;
using Repro.Core.Random;
using static TorchSharp.torch;

namespace Repro.Training.Tests;

/// <summary>
/// The Training side of the catalog covers the Core side: every trained model kind with every
/// conditioning kind has a network builder, every objective a loss, so a definition that validates can
/// be trained; and each built network answers s(x, σ) in the shape the interface promises.
/// </summary>
public sealed class NetworkCatalogTests
{
    [Fact]
    public void Every_trained_model_kind_with_every_conditioning_builds_a_network_of_the_data_dimension()
    {
        Assert.Contains(EgnnDefinition.Kind, Catalog.Models.Kinds);
        foreach (string kind in Catalog.Models.Kinds)
        {
            var model = Catalog.Models.ReadExample(kind);
            if (!model.IsTrained) continue;
            foreach (string conditioning in Catalog.Conditionings.Kinds.Where(model.AcceptsConditioning))
            {
                var conditioned = model with { Conditioning = Catalog.Conditionings.ReadExample(conditioning) };
                // d = 6: two points in R³, which every backbone takes (the EGNN needs K ≥ 2 points).
                using var network = NetworkCatalog.Build(conditioned, 6, new RandomStream(1));
                using var scope = NewDisposeScope();
                var s = network.forward(randn(5, 6), full(5, 0.5f));
                Assert.Equal([5L, 6L], s.shape);
                Assert.Equal(conditioned.IsNoiseConditional, network.IsNoiseConditional);
                Assert.Equal(6, network.Dimension);
            }
        }
    }

    [Fact]
    public void Every_objective_kind_has_a_loss()
    {
        Assert.Equal(Catalog.Objectives.Kinds.Order(), NetworkCatalog.ObjectiveKinds.Order());
    }

    [Fact]
    public void A_model_kind_without_a_builder_is_refused_by_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => NetworkCatalog.Build(new ExactModelDefinition(), 2, new RandomStream(1)));
        Assert.Contains("model.kind \"exact\"", e.Message);
    }

    [Fact]
    public void The_dsm_loss_is_the_seed_reports_loss_on_the_same_noise()
    {
        // DsmLoss against the loss written out by hand with the same ε: mean((s(x0 + σε) + ε/σ)²).
        using var net = new ScoreNet(2, 8, 2, new RandomStream(3));
        var x0 = tensor(new float[] { 0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f }, [3, 2]);
        float sigma = 0.7f;
        var loss = new DsmLoss(sigma).Loss(net, x0, new RandomStream(9)).item<float>();

        var noise = new RandomStream(9);
        var eps = tensor(Enumerable.Range(0, 6).Select(_ => (float)noise.NextGaussian()).ToArray(), [3, 2]);
        var expected = net.forward(x0 + sigma * eps).add(eps / sigma).square().mean().item<float>();
        Assert.Equal(expected, loss, 6);
    }
}
