using System.Security.Cryptography;

namespace Repro.Cli.Tests;

public sealed class ReproduceCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-reproduce-").FullName;
    readonly string _experiments;
    readonly string _out;

    public ReproduceCommandTests()
    {
        _experiments = Path.Combine(_dir, "experiments");
        _out = Path.Combine(_dir, "reports");
        Directory.CreateDirectory(_experiments);
        File.Copy(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"), Path.Combine(_experiments, "ncsn-mode-weights.json"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    CliRun Reproduce() => CliRun.Of("reproduce", _out, "--experiments", _experiments, "--quick");

    /// <summary>Every file under the folder with a hash of its bytes.</summary>
    static SortedDictionary<string, string> Snapshot(string folder) => new(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    [Fact]
    public void Writes_the_report_and_the_junit_file_and_leaves_no_staging_behind()
    {
        var run = Reproduce();

        Assert.True(run.ExitCode == ReproApp.Ok, run.Error + run.Out);
        Assert.Contains("12/12 gates pass", run.Out);
        Assert.True(File.Exists(Path.Combine(_out, "REPORT.md")));
        Assert.True(File.Exists(Path.Combine(_out, "junit.xml")));
        Assert.True(File.Exists(Path.Combine(_out, "ncsn-mode-weights", "README.md")));
        Assert.Equal(["experiments", "reports"], Directory.GetDirectories(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_run_that_fails_part_way_leaves_the_previous_report_byte_for_byte()
    {
        Assert.Equal(ReproApp.Ok, Reproduce().ExitCode);
        var before = Snapshot(_out);

        // A second definition whose stored record is unreadable: the run stops with bad input
        // after the control has been re-run into the staging copy.
        string other = File.ReadAllText(Path.Combine(_experiments, "ncsn-mode-weights.json")).Replace("\"ncsn-mode-weights\"", "\"zz-control-copy\"");
        File.WriteAllText(Path.Combine(_experiments, "zz-control-copy.json"), other);
        Directory.CreateDirectory(Path.Combine(_out, "zz-control-copy", "quick-seed-1"));
        File.WriteAllText(Path.Combine(_out, "zz-control-copy", "quick-seed-1", "run.json"), "{ not json");
        before = Snapshot(_out);

        var run = Reproduce();

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Contains("run.json", Assert.Single(run.ErrorLines));
        Assert.Equal(before, Snapshot(_out));
        Assert.Equal(["experiments", "reports"], Directory.GetDirectories(_dir).Select(Path.GetFileName).Order());
    }
}
