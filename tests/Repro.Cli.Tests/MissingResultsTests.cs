using System.Text.Json.Nodes;

namespace Repro.Cli.Tests;

/// <summary>
/// What check and report say about results that are not there: which seeds, and a command that computes
/// them and works when pasted (here: split into words and run as the same command line); <c>--seed</c>
/// judges only some seeds; a run without its sweep variants is reported, saying which are not run.
/// </summary>
public sealed class MissingResultsTests : ControlInTempFolder
{
    /// <summary>The program as suggested commands spell it here (under the test host: dotnet PATH/repro.dll).</summary>
    static readonly string Repro = SuggestedCommand.Program;

    /// <summary>The arguments of the one suggested command in <paramref name="line"/> (after <paramref name="after"/>), the program removed.</summary>
    static string[] Pasted(string line, string after)
    {
        string command = line[(line.IndexOf(after, StringComparison.Ordinal) + after.Length)..].Trim().TrimEnd('`');
        Assert.StartsWith(Repro + " ", command);
        return command[(Repro.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void The_program_is_spelled_as_this_process_was_started()
    {
        // The test host runs repro.dll inside dotnet: a pasted command must start it the same way.
        Assert.Matches(@"^dotnet \S*repro\.dll$", Repro);
        Assert.True(File.Exists(Repro["dotnet ".Length..]));
    }

    [Fact]
    public void Check_names_the_missing_seeds_with_a_command_that_computes_them_and_judges_only_some_with_seed()
    {
        Assert.Equal(ReproApp.Ok, CliRun.Of("run", "ncsn-mode-weights", "--seed", "2", "--experiments", Experiments, "--out", Out, "--quick").ExitCode);

        string junit = Path.Combine(Out, "gates.xml");
        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--junit", junit);
        Assert.Equal(ReproApp.GateFailed, check.ExitCode);
        Assert.Contains("2/2 judged gates pass; 2 not judged at quick sizes; 2 seed(s) without results, not gated", check.Out);
        Assert.Contains("compute them as below, or judge only what exists by naming the experiments or with --seed)", check.Out);
        // The hint offers only what the user has not done yet: with the experiment named, --seed; with both given, nothing.
        var named = CliRun.Of("check", Out, "ncsn-mode-weights", "--experiments", Experiments, "--quick");
        Assert.Contains("compute them as below, or judge only what exists with --seed)", named.Out);
        var both = CliRun.Of("check", Out, "ncsn-mode-weights", "--seed", "1,2", "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.GateFailed, both.ExitCode);
        Assert.Contains("1 seed(s) without results, not gated (exit 1 while a seed a definition lists has none: compute them as below)", both.Out);
        Assert.DoesNotContain("judge only what exists", both.Out);
        string missing = Assert.Single(check.ErrorLines);
        // The JUnit file fails as the exit code does: one missing-result case per seed without results.
        var failures = System.Xml.Linq.XDocument.Load(junit).Descendants("failure").ToList();
        Assert.Equal(["missing-result", "missing-result"], failures.Select(f => f.Attribute("type")!.Value));
        Assert.Equal(["results/quick-seed-1", "results/quick-seed-3"], failures.Select(f => f.Parent!.Attribute("name")!.Value));
        Assert.StartsWith($"missing: ncsn-mode-weights: seeds 1, 3 have no finished results in {Out} (quick-seed-1, quick-seed-3); compute: {Repro} run ncsn-mode-weights --seed 1,3 --out {Out} --quick --experiments {Experiments}", missing);

        var only = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "2");
        Assert.Equal(ReproApp.Ok, only.ExitCode);
        Assert.Equal("", only.Error);

        var unknown = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "9");
        Assert.Equal(ReproApp.BadInput, unknown.ExitCode);
        Assert.Contains("--seed: seed 9 is listed by none of the experiments asked for (ncsn-mode-weights: 1, 2, 3)", unknown.Error);

        // The suggested command, pasted, computes exactly what was missing.
        var computed = CliRun.Of(Pasted(missing, "compute: "));
        Assert.Equal(ReproApp.Ok, computed.ExitCode);
        var again = CliRun.Of("check", Out, "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.Ok, again.ExitCode);
        Assert.Equal("", again.Error);
    }

    [Fact]
    public void A_run_without_its_sweep_is_reported_and_checked_saying_how_to_add_the_variants()
    {
        // A trained experiment small enough for a test: one seed, a short quick training, one σ variant.
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json")))!.AsObject();
        definition["name"] = "tiny-sweep";
        definition["seeds"] = new JsonArray(1);
        definition["quick"] = JsonNode.Parse("""{ "trainingSteps": 40, "particles": 100, "referenceSize": 100, "permutations": 10 }""");
        definition["sweep"] = JsonNode.Parse("""{ "sigma": [0.5], "reconstructions": ["forward-backward"] }""");
        File.Delete(Path.Combine(Experiments, "ncsn-mode-weights.json"));
        File.WriteAllText(Path.Combine(Experiments, "tiny-sweep.json"), definition.ToJsonString());

        Assert.Equal(ReproApp.Ok, CliRun.Of("run", "tiny-sweep", "--no-sweep", "--experiments", Experiments, "--out", Out, "--quick").ExitCode);

        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick");
        Assert.True(check.ExitCode == ReproApp.Ok, check.Out + check.Error); // variants carry no gates
        var report = CliRun.Of("report", Out, "--experiments", Experiments, "--quick");
        Assert.True(report.ExitCode == ReproApp.Ok, report.Error);
        string note = Assert.Single(report.ErrorLines);
        Assert.StartsWith("note: tiny-sweep: sweep variants not run for seed(s) 1: sigma-0.5", note);
        string page = File.ReadAllText(Path.Combine(Out, "tiny-sweep", "README.md"));
        string notRun = page.Split('\n').Single(l => l.StartsWith("Not run: ", StringComparison.Ordinal));
        Assert.StartsWith("Not run: sigma = 0.5 (no seed);", notRun);

        // The page's command, pasted, adds the variant (the base seed comes from the local cache); the page then has its row.
        var added = CliRun.Of(Pasted(notRun, "holds them): `"));
        Assert.True(added.ExitCode == ReproApp.Ok, added.Error);
        Assert.Contains("tiny-sweep seed 1: reused from the local cache (", added.Out);
        Assert.Contains("tiny-sweep/sweep/sigma-0.5 seed 1: computed", added.Out);
        var rebuilt = CliRun.Of("report", Out, "--experiments", Experiments, "--quick");
        Assert.Equal("", rebuilt.Error);
        page = File.ReadAllText(Path.Combine(Out, "tiny-sweep", "README.md"));
        Assert.DoesNotContain("Not run: ", page);
        Assert.Contains("| sigma = 0.5 |", page);
    }
}
