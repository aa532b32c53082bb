using System.Text.Json.Nodes;
using System.Xml.Linq;
using Repro.Runs;

namespace Repro.Cli.Tests;

/// <summary>
/// check --junit names what each judged result was made from (definition hash, the code identity of the build and
/// of each seed's result) and marks results made by other code, which --strict fails, as the terminal does.
/// </summary>
public sealed class JUnitCodeIdentityTests : ControlInTempFolder
{
    static Dictionary<string, string> Properties(XDocument doc, string suite) =>
        doc.Descendants("testsuite").Single(s => s.Attribute("name")!.Value == suite).Element("properties")!.Elements("property")
            .ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);

    [Fact]
    public void Junit_names_the_definition_and_code_of_each_result_and_strict_fails_results_of_other_code()
    {
        Assert.Equal(ReproApp.Ok, CliRun.Of("run", "ncsn-mode-weights", "--seed", "1,2", "--experiments", Experiments, "--out", Out, "--quick", "--no-cache").ExitCode);
        var definition = Core.Definitions.ExperimentDefinition.Load(Path.Combine(Experiments, "ncsn-mode-weights.json"));
        string junit = Path.Combine(Dir, "gates.xml");

        Assert.Equal(ReproApp.Ok, CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "1,2", "--junit", junit).ExitCode);
        var current = Properties(XDocument.Load(junit), "ncsn-mode-weights");
        Assert.Equal(definition.Hash, current["definition-hash"]);
        Assert.Equal(CodeIdentity.Hash, current["code-identity"]);
        Assert.Equal(CodeIdentity.Hash, current["quick-seed-1-code"]);
        Assert.Equal(CodeIdentity.Hash, current["quick-seed-2-code"]);
        Assert.Equal("", current["other-code-seeds"]);
        Assert.DoesNotContain(XDocument.Load(junit).Descendants("system-out"), o => o.Value.Contains("not current", StringComparison.Ordinal));

        // Seed 2's result as if an earlier build had made it.
        string other = new('a', 64);
        string run = Path.Combine(Out, "ncsn-mode-weights", "quick-seed-2", "run.json");
        var node = JsonNode.Parse(File.ReadAllText(run))!;
        node["Code"] = other;
        File.WriteAllText(run, node.ToJsonString());

        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "1,2", "--junit", junit);
        Assert.Equal(ReproApp.Ok, check.ExitCode); // judged, not failed, without --strict (as on the terminal)
        var doc = XDocument.Load(junit);
        var properties = Properties(doc, "ncsn-mode-weights");
        Assert.Equal(other, properties["quick-seed-2-code"]);
        Assert.Equal("2", properties["other-code-seeds"]);
        var seed2 = doc.Descendants("testcase").Where(c => c.Attribute("name")!.Value.EndsWith("/quick-seed-2", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(seed2);
        Assert.All(seed2, c => Assert.EndsWith($"; not current: seed 2 was made by code aaaaaaaaaaaa, this build is {CodeIdentity.Hash[..12]}", c.Element("system-out")!.Value));
        Assert.All(doc.Descendants("testcase").Where(c => c.Attribute("name")!.Value.EndsWith("/quick-seed-1", StringComparison.Ordinal)),
            c => Assert.DoesNotContain("not current", c.Element("system-out")!.Value));
        Assert.Equal("0", doc.Root!.Attribute("failures")!.Value);

        var strict = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "1,2", "--junit", junit, "--strict");
        Assert.Equal(ReproApp.GateFailed, strict.ExitCode);
        doc = XDocument.Load(junit);
        var failures = doc.Descendants("failure").ToList();
        // Every judged (size-free) gate of seed 2 fails as not current; seed 1's pass.
        int judgedSeed2 = seed2.Count(c => c.Element("skipped") is null);
        Assert.True(judgedSeed2 > 0);
        Assert.Equal(judgedSeed2, failures.Count);
        Assert.All(failures, f => Assert.Equal("not-current", f.Attribute("type")!.Value));
        Assert.All(failures, f => Assert.EndsWith("/quick-seed-2", f.Parent!.Attribute("name")!.Value));
        Assert.Equal(judgedSeed2.ToString(System.Globalization.CultureInfo.InvariantCulture), doc.Root!.Attribute("failures")!.Value);
    }
}
