using System.Xml.Linq;

namespace Repro.Cli.Tests;

public sealed class CheckCommandTests : ControlInTempFolder
{
    CliRun Check(params string[] extra) => CliRun.Of(["check", Out, "--experiments", Experiments, "--quick", .. extra]);

    [Fact]
    public void Check_without_results_exits_2_naming_the_missing_run()
    {
        string stale = Path.Combine(Dir, "stale.xml");
        File.WriteAllText(stale, "<testsuites tests=\"12\" failures=\"0\"/>");

        var run = Check("--junit", stale);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("ncsn-mode-weights: seeds 1, 2, 3 have no finished results in", run.Error);
        Assert.False(File.Exists(stale), "an older all-pass JUnit file must not survive a check that judged nothing");
    }

    [Fact]
    public void Results_made_by_other_code_are_judged_but_never_current_and_strict_fails_them()
    {
        Assert.Equal(ReproApp.Ok, CliRun.Of("run", "--experiments", Experiments, "--out", Out, "--quick").ExitCode);
        var current = Check("--strict");
        Assert.Equal(ReproApp.Ok, current.ExitCode);
        Assert.DoesNotContain("note:", current.Error);
        Assert.DoesNotContain("other code", current.Out);

        // Seed 2 as the previous code made it: its run.json names another code identity.
        string record = Path.Combine(Out, "ncsn-mode-weights", "quick-seed-2", "run.json");
        string code = Repro.Runs.CodeIdentity.Hash, other = new string('0', 12) + code[12..];
        File.WriteAllText(record, File.ReadAllText(record).Replace($"\"Code\": \"{code}\"", $"\"Code\": \"{other}\""));

        var lenient = Check();
        var strict = Check("--strict");
        var json = System.Text.Json.JsonDocument.Parse(Check("--json").Out).RootElement.EnumerateArray().ToList();

        Assert.Equal(ReproApp.Ok, lenient.ExitCode);
        Assert.Equal($"note: ncsn-mode-weights seed 2 was made by code 000000000000, this build is {code[..12]}: not current; recompute: {SuggestedCommand.Program} run ncsn-mode-weights --seed 2 --out {Out} --quick --experiments {Experiments}",
            Assert.Single(lenient.ErrorLines));
        // Seed 2's own verdicts and the means over seeds 1–3 read it; seed 1's and 3's do not.
        var stale = json.Where(v => !v.GetProperty("current").GetBoolean()).ToList();
        Assert.NotEmpty(stale);
        Assert.All(stale, v => Assert.True(v.GetProperty("seed").ValueKind == System.Text.Json.JsonValueKind.Null || v.GetProperty("seed").GetInt64() == 2));
        Assert.Contains(json, v => v.GetProperty("seed").ValueKind == System.Text.Json.JsonValueKind.Number && v.GetProperty("seed").GetInt64() == 1 && v.GetProperty("current").GetBoolean());
        Assert.Contains($"; {stale.Count} verdict(s) judge results made by other code than this build", lenient.Out);
        Assert.Equal(ReproApp.GateFailed, strict.ExitCode);
        Assert.Contains("--strict fails them", strict.Out);
    }

    [Fact]
    public void Check_passes_stored_results_writes_junit_and_fails_when_a_value_misses_its_gate()
    {
        var produced = CliRun.Of("run", "--experiments", Experiments, "--out", Out, "--quick");
        Assert.Equal(ReproApp.Ok, produced.ExitCode);

        string junit = Path.Combine(Dir, "gates.xml");
        var pass = Check("--junit", junit);
        Assert.Equal(ReproApp.Ok, pass.ExitCode);
        // Quick results: the mode-weight-error gates (thresholds calibrated at the full sizes) are shown, not judged;
        // the size-free mh-rejection gates are judged.
        Assert.Contains("6/6 judged gates pass; 6 not judged at quick sizes", pass.Out);
        Assert.Contains("not judged: quick sizes judge only size-free gates", pass.Out);
        // Not a terminal: one unwrapped line per gate.
        var gateLines = pass.Out.Split('\n').Where(l => l.Contains(" ncsn-mode-weights/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, gateLines.Count(l => l.StartsWith("pass        ncsn-mode-weights/", StringComparison.Ordinal) && l.Contains("/mh-rejection/")));
        Assert.Equal(6, gateLines.Count(l => l.StartsWith("not judged  ncsn-mode-weights/", StringComparison.Ordinal) && l.Contains("/mode-weight-error/")));
        var suites = XDocument.Load(junit).Root!;
        Assert.Equal("12", suites.Attribute("tests")!.Value);
        Assert.Equal("0", suites.Attribute("failures")!.Value);
        Assert.Equal(6, XDocument.Load(junit).Descendants("skipped").Count());

        // Tamper with stored values: the plain-Langevin control now looks "right", which its (unjudged at quick sizes)
        // gate forbids, and its size-free step check is out of bounds.
        string metrics = Path.Combine(Out, "ncsn-mode-weights", "quick-seed-2", "metrics.csv");
        var lines = File.ReadAllLines(metrics).Select(l =>
            l.StartsWith("ncsn-mode-weights,2,plain-langevin,p0,mode-weight-error,", StringComparison.Ordinal)
                ? "ncsn-mode-weights,2,plain-langevin,p0,mode-weight-error,0.01" : l).ToArray();
        File.WriteAllLines(metrics, lines);
        var unjudged = Check();
        Assert.Equal(ReproApp.Ok, unjudged.ExitCode);
        Assert.Matches(@"(?m)^not judged  ncsn-mode-weights/plain-langevin/p0/mode-weight-error/seed-2 +0\.01 ", unjudged.Out);
        File.WriteAllLines(metrics, lines.Select(l =>
            l.StartsWith("ncsn-mode-weights,2,plain-langevin,p-sigma,mh-rejection,", StringComparison.Ordinal)
                ? "ncsn-mode-weights,2,plain-langevin,p-sigma,mh-rejection,0.5" : l));

        var fail = Check("--junit", junit, "--json");
        Assert.Equal(ReproApp.GateFailed, fail.ExitCode);
        Assert.Contains("\"passed\": false", fail.Out);
        var failuresOnly = Check("--failures-only");
        Assert.Equal(ReproApp.GateFailed, failuresOnly.ExitCode);
        var shown = failuresOnly.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^FAIL  ncsn-mode-weights/plain-langevin/p-sigma/mh-rejection/seed-2 +0\.5 ", shown[0]);
        Assert.Equal("5/6 judged gates pass; 6 not judged at quick sizes", shown[1]);
        var failure = Assert.Single(XDocument.Load(junit).Descendants("failure"));
        Assert.Contains("mh-rejection = 0.5 misses <= 0.02", failure.Attribute("message")!.Value);
        // The body points at the threshold in the definition (FILE:LINE), for annotating CI readers.
        string definitionFile = Path.Combine(Experiments, "ncsn-mode-weights.json");
        var located = System.Text.RegularExpressions.Regex.Match(failure.Value, $@"^{System.Text.RegularExpressions.Regex.Escape(definitionFile)}:(\d+): mh-rejection of plain-langevin");
        Assert.True(located.Success, failure.Value);
        Assert.Contains("\"threshold\": 0.02", File.ReadAllLines(definitionFile)[int.Parse(located.Groups[1].Value) - 1]);
        Assert.Equal("plain-langevin/p-sigma/mh-rejection/quick-seed-2", failure.Parent!.Attribute("name")!.Value);
    }
}
