using System.Text.Json.Nodes;
using Repro.Core.Definitions;
using Repro.Runs;

namespace Repro.Reporting.Tests;

/// <summary>
/// The two-blobs experiment lifted to d = 3 (every mean and covariance given a third coordinate) runs
/// and reports: the figures that can show three coordinates are drawn and say they are projections, and
/// the score field, which cannot, is refused by name instead of drawn at the wrong places.
/// </summary>
public sealed class ThreeDimensionalReportTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-report-3d-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>experiments/dsm-2d-two-blobs.json with a third coordinate: mean 0 and variance 1 in it, no sweep, one seed.</summary>
    static ExperimentDefinition Lifted(string folder)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments", "dsm-2d-two-blobs.json")))!.AsObject();
        json["name"] = "dsm-3d-two-blobs";
        json["seeds"] = new JsonArray(1);
        json.Remove("sweep");
        json.Remove("$schema");
        foreach (var component in json["data"]!["components"]!.AsArray())
        {
            component!["mean"]!.AsArray().Add(0.0);
            var covariance = component["covariance"]!.AsArray();
            foreach (var row in covariance) row!.AsArray().Add(0.0);
            covariance.Add(new JsonArray(0.0, 0.0, 1.0));
        }
        string file = Path.Combine(folder, "dsm-3d-two-blobs.json");
        File.WriteAllText(file, json.ToJsonString());
        return ExperimentDefinition.Load(file);
    }

    [Fact]
    public void A_three_dimensional_run_reports_with_projections_said_and_the_score_field_refused_by_name()
    {
        var definition = Lifted(_dir);
        Assert.Equal(3, definition.Data.Dimension);
        var options = new RunOptions(Path.Combine(_dir, "reports"), 1, Quick: true, Recompute: false);
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(definition, 1);
        Assert.Equal(3, Repro.Results.PointsCsv.Read(Path.Combine(options.SeedFolder(definition.Name, 1), "samples-generation.csv")).Dimension);

        ReportBuilder.Build([definition], options.Layout, Repro.Tests.Shared.RepoRoot.Path);

        string folder = Path.Combine(options.OutputRoot, definition.Name);
        string page = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("Figure `score-field.png` is not drawn: a field of arrows in the plane draws a score of dimension 1 or 2, and this data has d = 3", page);
        Assert.False(File.Exists(Path.Combine(folder, "figures", "score-field.png")));
        Assert.DoesNotContain("figures/score-field.png", page);
        foreach (var rec in definition.Reconstructions)
            Assert.True(File.Exists(Path.Combine(folder, "figures", $"distributions-{rec.Name}.png")), rec.Name);
        Assert.Contains("drawn in its first two of 3 coordinates (a projection)", page);
        Assert.True(File.Exists(Path.Combine(folder, "figures", "score-error.png")));
    }

    [Fact]
    public void The_score_field_plot_refuses_a_third_dimension_rather_than_reading_it_with_the_wrong_stride()
    {
        var grid = Core.Numerics.Points.Zeros(4, 3);

        var e = Assert.Throws<ArgumentException>(() => Plots.ScoreField(Path.Combine(_dir, "f.png"), grid, grid, grid, grid, 2, 0.5));
        Assert.Contains("not d = 3", e.Message);
    }
}
