using Repro.Core.Definitions;

namespace Repro.Core.Tests.Definitions;

public class SweepDefinitionTests
{
    [Fact]
    public void Each_swept_value_gives_a_full_gateless_variant_with_its_own_name_and_hash()
    {
        var blobs = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"));

        var variants = blobs.Variants();

        Assert.Equal(["sigma 0.5", "sigma 2", "hidden 16", "hidden 128", "scheduler constant"], variants.Select(v => $"{v.Parameter} {v.Text}"));
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
        Assert.Equal(6, variants.Select(v => v.Definition.Hash).Append(blobs.Hash).Distinct().Count());
    }

    [Fact]
    public void A_scheduler_variant_is_the_base_trained_at_a_constant_rate()
    {
        // The scheduler ablation: the seed's ReduceLROnPlateau (stepped on every minibatch loss) against a constant rate.
        var blobs = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"));
        var constant = blobs.Variants().Single(v => v.Parameter == "scheduler");

        Assert.Equal("dsm-2d-two-blobs/sweep/scheduler-constant", constant.Definition.Name);
        Assert.Equal("constant", constant.Text);
        Assert.True(double.IsNaN(constant.Value));
        Assert.NotNull(blobs.Training!.Scheduler);
        Assert.Null(constant.Definition.Training!.Scheduler);
        Assert.Equal(blobs.Training with { Scheduler = null }, constant.Definition.Training);
        Assert.Equal(blobs.Model, constant.Definition.Model);
        Assert.Equal("plateau-f0.5-p200-w1", SweepDefinition.Label(blobs.Training.Scheduler));
    }

    [Fact]
    public void A_swept_scheduler_may_be_another_plateau_rule_but_not_the_base_one()
    {
        string json = File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"))
            .Replace("\"scheduler\": [{ \"kind\": \"constant\" }]", "\"scheduler\": [{ \"kind\": \"reduce-on-plateau\", \"factor\": 0.5, \"patience\": 200, \"window\": 50 }]");
        var windowed = ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(json), "windowed.json")
            .Variants().Single(v => v.Parameter == "scheduler");
        Assert.Equal("dsm-2d-two-blobs/sweep/scheduler-plateau-f0.5-p200-w50", windowed.Definition.Name);
        Assert.Equal(new SchedulerDefinition(0.5, 200, 50), windowed.Definition.Training!.Scheduler);
    }

    [Fact]
    public void Definitions_without_a_sweep_have_no_variants()
    {
        var control = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"));
        Assert.Null(control.Sweep);
        Assert.Empty(control.Variants());
    }
}
