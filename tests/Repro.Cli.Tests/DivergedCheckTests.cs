using System.Xml.Linq;

namespace Repro.Cli.Tests;

/// <summary>
/// A diverged seed is reported by check as diverged, at the stage its run.json records, never as a missing
/// result: on the terminal, in each verdict and in JUnit (a failing case of type <c>diverged</c>); exit 1.
/// </summary>
public sealed class DivergedCheckTests : ControlInTempFolder
{
    [Fact]
    public void Check_reports_a_diverged_seed_as_diverged_naming_the_stage_and_fails_it_in_junit()
    {
        // Plain Langevin on the control at step 50: each step multiplies x − μ by 1 − η/2 = −24 (unit-variance modes).
        string file = Path.Combine(Experiments, "ncsn-mode-weights.json");
        string text = File.ReadAllText(file);
        string diverging = text.Replace("\"kind\": \"langevin\", \"stepSize\": 0.1", "\"kind\": \"langevin\", \"stepSize\": 50");
        Assert.NotEqual(text, diverging);
        File.WriteAllText(file, diverging);
        var run = CliRun.Of("run", "ncsn-mode-weights", "--seed", "1", "--experiments", Experiments, "--out", Out, "--quick", "--no-cache");
        Assert.Equal(ReproApp.GateFailed, run.ExitCode);

        string junit = Path.Combine(Dir, "gates.xml");
        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick", "--seed", "1", "--junit", junit);

        Assert.Equal(ReproApp.GateFailed, check.ExitCode);
        string line = Assert.Single(check.ErrorLines);
        Assert.Matches(@"^diverged: ncsn-mode-weights seed 1 diverged in sampling plain-langevin at step \d+: no metrics, so its \d+ per-seed gate verdict\(s\) fail$", line);
        Assert.DoesNotContain("missing", check.Out + check.Error);
        var plain = check.Out.Split('\n').Where(l => l.Contains("/plain-langevin/", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(plain);
        Assert.All(plain, l => Assert.Matches(@"^FAIL\s+\S+\s+diverged\s", l));

        var failures = XDocument.Load(junit).Descendants("failure").ToList();
        Assert.NotEmpty(failures);
        // The control's other reconstruction (annealed) is not sampled after the divergence either: every gate fails as diverged.
        Assert.All(failures, f => Assert.Equal("diverged", f.Attribute("type")!.Value));
        Assert.All(failures, f => Assert.Matches(@"seed 1 diverged in sampling plain-langevin at step \d+", f.Attribute("message")!.Value));
        Assert.Equal(failures.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), XDocument.Load(junit).Root!.Attribute("failures")!.Value);
    }
}
