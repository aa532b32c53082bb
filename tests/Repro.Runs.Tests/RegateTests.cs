using System.Text.Json.Nodes;
using Repro.Core;
using Repro.Core.Definitions;
using Repro.Results;

namespace Repro.Runs.Tests;

/// <summary>
/// Stored results are keyed on the definition's identity (<see cref="DefinitionIdentity"/>): after a gate
/// or prose edit they are read back and re-gated without a rerun; after an edit that shapes numbers
/// they are refused as stale.
/// </summary>
public sealed class RegateTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-regate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static ExperimentDefinition Edited(Action<JsonObject> edit)
    {
        string source = File.ReadAllText(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-1d-two-gaussians.json"));
        var json = JsonNode.Parse(source)!.AsObject();
        edit(json);
        return ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), "experiments/dsm-1d-two-gaussians.json");
    }

    [Fact]
    public void A_gate_edit_regates_stored_results_and_a_sigma_edit_is_refused_as_stale()
    {
        var original = Edited(_ => { });
        var options = new RunOptions(_dir, 1, Quick: true, Recompute: false);
        new ExperimentRunner(options) { FloorSamples = 2000 }.Run(original, 1);

        var regated = Edited(j => { j["gates"]![0]!["threshold"] = 0.5; j["description"] = "reworded"; });
        var rows = ResultsStore.ReadMetrics(regated, options.Layout, [1]);
        Assert.Equal(ResultsStore.ReadMetrics(original, options.Layout, [1]), rows);

        var changed = Edited(j => j["training"]!["sigma"] = 0.3);
        var e = Assert.Throws<MissingResultException>(() => ResultsStore.ReadMetrics(changed, options.Layout, [1]));
        Assert.Contains("made from another version", e.Message);
        Assert.True(e.Stale);
        Assert.Equal(1, e.Seed);
    }
}
