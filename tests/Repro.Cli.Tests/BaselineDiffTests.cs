using System.Diagnostics;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro reproduce</c> ends by diffing the new results against the same folder as committed at
/// HEAD (read from git, not from the working tree it has just replaced), in a temporary git
/// repository holding the control experiment.
/// </summary>
public sealed class BaselineDiffTests : ControlInTempFolder
{
    CliRun Reproduce(params string[] extra) => CliRun.Of(["reproduce", Out, "--experiments", Experiments, "--quick", .. extra]);

    string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        foreach (string a in (string[])["-c", "user.name=Repro tests", "-c", "user.email=tests@repro.invalid", "-c", "commit.gpgsign=false", .. args])
            start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        string output = git.StandardOutput.ReadToEnd();
        string error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(" ", args)}: {error}");
        return output.Trim();
    }

    [Fact]
    public void Reproduce_says_bit_identical_to_the_committed_baseline_and_reports_a_difference_only_failing_when_strict()
    {
        Git("init", "-q");
        var first = Reproduce();
        Assert.Equal(ReproApp.Ok, first.ExitCode);
        Assert.Contains("baseline: HEAD has no committed reports/; no baseline to diff against", first.Out);

        Git("add", "experiments", "reports");
        Git("commit", "-qm", "baseline");
        string head = Git("rev-parse", "--short=7", "HEAD");
        var second = Reproduce();
        Assert.Equal(ReproApp.Ok, second.ExitCode);
        Assert.Contains($"bit-identical to the committed baseline (HEAD:reports {head}): 3 seeds, ", second.Out);

        // Commit a changed sample, then put the computed one back in the working tree: the run restores
        // the seed from the local cache, and the diff must read the committed (changed) file from git.
        string samples = Path.Combine(Out, "ncsn-mode-weights", "quick-seed-2", "samples-plain-langevin.csv");
        string original = File.ReadAllText(samples);
        var lines = original.Split('\n');
        lines[3] = string.Join(",", lines[3].Split(',').Skip(1).Prepend("1000")); // data row 3, x1
        File.WriteAllText(samples, string.Join("\n", lines));
        Git("commit", "-qam", "a changed sample");
        File.WriteAllText(samples, original);
        head = Git("rev-parse", "--short=7", "HEAD");

        var lenient = Reproduce();
        Assert.Equal(ReproApp.Ok, lenient.ExitCode);
        Assert.Contains($"differs from the committed baseline (HEAD:reports {head}) beyond bit-identity: 1 of ", lenient.Out);
        Assert.Contains("ncsn-mode-weights/quick-seed-2/samples-plain-langevin.csv: 1 of ", lenient.Out);
        Assert.Contains("at row 3, x1", lenient.Out);

        var strict = Reproduce("--strict");
        Assert.Equal(ReproApp.GateFailed, strict.ExitCode);
        Assert.Contains("6/6 judged gates pass; 6 not judged at quick sizes", strict.Out);

        var none = Reproduce("--strict", "--baseline", "none");
        Assert.Equal(ReproApp.Ok, none.ExitCode);
        Assert.DoesNotContain("baseline", none.Out);
    }
}
