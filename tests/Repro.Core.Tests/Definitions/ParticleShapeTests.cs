using Repro.Core.Definitions;

namespace Repro.Core.Tests.Definitions;

/// <summary>
/// <c>data.particleShape</c>: declared (checked against d and against the shape cloud kinds imply) or implied
/// by the cloud kinds; the malformed corpus holds the refusals (<c>particle-shape-*</c>).
/// </summary>
public sealed class ParticleShapeTests
{
    static DataDefinition Data(string file) =>
        ExperimentDefinition.Load(Path.Combine(RepoPaths.Fixtures, "valid", file)).Data;

    [Fact]
    public void Cloud_kinds_imply_their_shape_and_other_data_has_none_unless_declared()
    {
        Assert.Equal(new ParticleShape(4, 3), Data("clouds-3d.json").Particles);   // rotated templates of 4 rows
        Assert.Null(Data("shells-3d.json").Particles);                             // one point in R³ is not declared a cloud
        Assert.Null(Data("exact.json").Particles);
        Assert.Equal(new ParticleShape(2, 3), Data("particles-3d.json").Particles); // declared on a Gaussian mixture
    }

    [Theory]
    [InlineData("""{ "kind": "centred-gaussian-cloud", "weight": 1, "count": 5, "variance": 2.0 }""", 5)]
    [InlineData("""{ "kind": "rotated-template", "weight": 1, "points": [[0, 0, 0], [1, 0, 0]], "jitter": 0.1 }""", 2)]
    public void The_shape_a_cloud_kind_implies_has_its_K_points_in_3_dimensions(string component, int count)
    {
        var read = Catalog.Components.Read(Reader(component));

        Assert.Equal(new ParticleShape(count, 3), read.Particles);
        Assert.Equal(read.Dimension, read.Particles!.Dimension);
    }

    [Fact]
    public void A_declared_shape_that_agrees_with_the_clouds_is_accepted()
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "valid", "clouds-3d.json")).Replace(
            "        \"jitter\": 0.3\n      }\n    ]\n  },",
            "        \"jitter\": 0.3\n      }\n    ],\n    \"particleShape\": { \"count\": 4, \"dimension\": 3 }\n  },");
        Assert.Contains("particleShape", text);

        var definition = ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(text), "test.json");

        Assert.Equal(new ParticleShape(4, 3), definition.Data.Particles);
        Assert.Null(DefinitionSchema.Problems(text));
    }

    static Repro.Core.Definitions.Json.ObjectReader Reader(string json)
    {
        var parser = new Repro.Core.Definitions.Json.PositionedJsonParser(System.Text.Encoding.UTF8.GetBytes(json), "test");
        return new Repro.Core.Definitions.Json.ObjectReader(parser, parser.Parse(), "$");
    }
}
