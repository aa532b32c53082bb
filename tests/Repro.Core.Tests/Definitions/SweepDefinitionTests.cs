using Repro.Core.Definitions;

namespace Repro.Core.Tests.Definitions;

public class SweepDefinitionTests
{
    [Fact]
    public void Each_swept_value_gives_a_full_gateless_variant_with_its_own_name_and_hash()
    {
        var blobs = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"));

        var variants = blobs.Variants();

        Assert.Equal(["sigma 0.5", "sigma 2", "hidden 16", "hidden 128"], variants.Select(v => $"{v.Parameter} {v.Value}"));
        Assert.Equal("dsm-2d-two-blobs/sweep/sigma-0.5", variants[0].Definition.Name);
        Assert.Equal(0.5, variants[0].Definition.TrainingSigma);
        Assert.Equal(64, ((MlpDefinition)variants[0].Definition.Model).Hidden);
        Assert.Equal(128, ((MlpDefinition)variants[3].Definition.Model).Hidden);
        Assert.Equal(blobs.TrainingSigma, variants[3].Definition.TrainingSigma);
        Assert.All(variants, v =>
        {
            Assert.Empty(v.Definition.Gates);
            Assert.Empty(v.Definition.Variants());
            Assert.Equal(blobs.Seeds, v.Definition.Seeds);
            Assert.Equal([blobs.Reconstructions.Single(r => r.Name == "forward-backward")], v.Definition.Reconstructions);
        });
        Assert.Equal(5, variants.Select(v => v.Definition.Hash).Append(blobs.Hash).Distinct().Count());
    }

    [Fact]
    public void Definitions_without_a_sweep_have_no_variants()
    {
        var control = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"));
        Assert.Null(control.Sweep);
        Assert.Empty(control.Variants());
    }
}
