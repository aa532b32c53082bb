using System.Text.Json.Nodes;
using Repro.Core.Definitions;

namespace Repro.Core.Tests.Definitions;

/// <summary>
/// A stored result is keyed on the parts of its definition that shape numbers: edits that cannot change
/// a result keep the identity (so <c>repro check</c> re-gates stored results in seconds), edits that can
/// change it.
/// </summary>
public sealed class DefinitionIdentityTests
{
    static readonly string Source = File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"));

    static string Identity(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(Source)!.AsObject();
        edit(json);
        return ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), "edited.json").Hash;
    }

    static readonly string Original = Identity(_ => { });

    public static TheoryData<string> Kept() => new("gate threshold", "description", "reproduces", "seed added", "reconstruction description", "sweep widths", "whitespace and number spelling",
        "explicit default conditioning", "explicit default track", "explicit default scheduler window", "explicit default mmd size");

    public static TheoryData<string> Changed() => new("training sigma", "hidden width", "particles", "component mean", "evaluation size", "reconstruction renamed", "experiment renamed",
        "scheduler window 2", "mmd size 999", "track 1 where none was");

    static void Apply(string edit, JsonObject j)
    {
        switch (edit)
        {
            case "gate threshold": j["gates"]![0]!["threshold"] = j["gates"]![0]!["threshold"]!.GetValue<double>() * 1.5; break;
            case "description": j["description"] = "another text"; break;
            case "reproduces": j["reproduces"] = "another claim"; break;
            case "seed added": j["seeds"]!.AsArray().Add(99); break;
            case "reconstruction description": j["reconstructions"]![0]!["description"] = "reworded"; break;
            case "sweep widths": j["sweep"]!["hidden"] = new JsonArray(16, 256); break;
            // Written defaults shape nothing that omitting them does not (DefinitionIdentity.Defaults).
            case "explicit default conditioning": j["model"]!["conditioning"] = new JsonObject { ["kind"] = "none" }; break;
            case "explicit default track": j["reconstructions"]![4]!["track"] = 0; break;
            case "explicit default scheduler window": j["training"]!["scheduler"]!["window"] = 1; break;
            case "explicit default mmd size": j["evaluation"]!["mmdSize"] = 1000; break;
            case "scheduler window 2": j["training"]!["scheduler"]!["window"] = 2; break;
            case "mmd size 999": j["evaluation"]!["mmdSize"] = 999; break;
            case "track 1 where none was": j["reconstructions"]![4]!["track"] = 1; break;
            case "training sigma": j["training"]!["sigma"] = 0.3; break;
            case "hidden width": j["model"]!["hidden"] = 65; break;
            case "particles": j["reconstructions"]![0]!["particles"] = 4001; break;
            case "component mean": j["data"]!["components"]![0]!["mean"]![0] = -4.5; break;
            case "evaluation size": j["evaluation"]!["referenceSize"] = 1999; break;
            case "reconstruction renamed": j["reconstructions"]![0]!["name"] = "renamed"; j.Remove("gates"); j["gates"] = new JsonArray(); j.Remove("sweep"); break;
            case "experiment renamed": j["name"] = "renamed"; break;
            default: throw new ArgumentException(edit);
        }
    }

    [Theory]
    [MemberData(nameof(Kept))]
    public void An_edit_that_cannot_change_a_result_keeps_the_identity(string edit)
    {
        if (edit == "whitespace and number spelling")
        {
            string respelled = Source.Replace("\"sigma\": 1.25", "\"sigma\":   1.250").Replace("\n", "\r\n");
            Assert.NotEqual(Source, respelled);
            Assert.Equal(Original, ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(respelled), "respelled.json").Hash);
            return;
        }
        Assert.Equal(Original, Identity(j => Apply(edit, j)));
    }

    [Theory]
    [MemberData(nameof(Changed))]
    public void An_edit_that_can_change_a_result_changes_the_identity(string edit) =>
        Assert.NotEqual(Original, Identity(j => Apply(edit, j)));

    [Fact]
    public void Sweep_variants_have_their_own_identities_which_a_gate_edit_keeps()
    {
        var before = ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(Source), "a.json").Variants().Select(v => v.Definition.Hash).ToArray();
        var json = JsonNode.Parse(Source)!.AsObject();
        json["gates"]![0]!["threshold"] = 0.123;
        var after = ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), "b.json").Variants().Select(v => v.Definition.Hash).ToArray();

        Assert.Equal(before, after);
        Assert.Equal(before.Length, before.Distinct().Count());
        Assert.DoesNotContain(Original, before);
    }
}
