using Repro.Core.Definitions;

namespace Repro.Core.Tests.Definitions;

/// <summary>Gates are checked from the registered metric's scope and needs (<see cref="GateCheck"/>), not from a list of names.</summary>
public sealed class GateCheckTests
{
    /// <summary>The 1D experiment with one more gate, inserted first.</summary>
    static byte[] WithGate(string metric, string reconstruction) => System.Text.Encoding.UTF8.GetBytes(
        File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json")).Replace("\"gates\": [",
            $"\"gates\": [ {{ \"metric\": \"{metric}\", \"reconstruction\": \"{reconstruction}\", \"reference\": \"p0\", \"comparator\": \"<=\", \"threshold\": 1, \"over\": \"each-seed\", \"reason\": \"test\" }},"));

    [Theory]
    [InlineData("sliced-ks-pvalue", "forward-backward", "metric \"sliced-ks-pvalue\" projects onto random directions: it needs data with ≥ 2 coordinates (this data has 1)")]
    [InlineData("equivariance-error-rotation", "training", "metric \"equivariance-error-rotation\" acts on point clouds: it needs data with a particle shape of points in 3 dimensions (data.particleShape, or a cloud component kind)")]
    [InlineData("equivariance-error-permutation", "forward-backward", "metric \"equivariance-error-permutation\" describes the trained score: reconstruction must be \"training\"")]
    public void A_gate_whose_metric_the_data_cannot_feed_is_refused_with_the_need_it_misses(string metric, string reconstruction, string message)
    {
        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.Parse(WithGate(metric, reconstruction), "test.json"));

        Assert.Equal("$.gates[0]", e.JsonPath);
        Assert.EndsWith(message, e.Message);
    }

    [Fact]
    public void A_gate_the_data_can_feed_is_accepted()
    {
        var definition = ExperimentDefinition.Parse(WithGate("mean-error", "forward-backward"), "test.json");

        Assert.Equal("mean-error", definition.Gates[0].Metric);
    }

    [Fact]
    public void An_equivariance_gate_on_data_with_a_particle_shape_in_3_dimensions_is_accepted()
    {
        var definition = ExperimentDefinition.Load(Path.Combine(RepoPaths.Fixtures, "valid", "particles-3d.json"));

        Assert.Equal(new ParticleShape(2, 3), definition.Data.Particles);
        Assert.Null(GateCheck.Problem(definition, definition.Gates[0]));
    }

    [Fact]
    public void An_equivariance_gate_on_points_in_another_dimension_names_the_shape_the_data_has()
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "valid", "particles-3d.json"))
            .Replace("\"count\": 2,\n      \"dimension\": 3", "\"count\": 3,\n      \"dimension\": 2");

        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(text), "test.json"));

        Assert.Equal("$.gates[0]", e.JsonPath);
        Assert.EndsWith("needs data with a particle shape of points in 3 dimensions (data.particleShape, or a cloud component kind); this data is 3 points in R^2", e.Message);
    }
}
