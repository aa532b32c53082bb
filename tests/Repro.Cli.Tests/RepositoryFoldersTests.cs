namespace Repro.Cli.Tests;

/// <summary>
/// repro run from a subfolder of the repository finds its experiments/ and results folders by walking up, as git
/// finds .git; where there is none, the one-line error says where it looked. The current folder is process-wide,
/// so these tests rely on the assembly's serial execution (AssemblyInfo.cs) and restore it.
/// </summary>
public sealed class RepositoryFoldersTests : ControlInTempFolder
{
    static CliRun In(string folder, params string[] args)
    {
        string before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try { return CliRun.Of(args); }
        finally { Directory.SetCurrentDirectory(before); }
    }

    [Fact]
    public void Commands_run_in_a_subfolder_use_the_repository_s_experiments_and_results()
    {
        string deep = Path.Combine(Dir, "src", "Repro.Cli");
        Directory.CreateDirectory(deep);

        var list = In(deep, "list");
        Assert.Equal(ReproApp.Ok, list.ExitCode);
        Assert.Contains("ncsn-mode-weights", list.Out);

        // Results go to the repository's reports.quick, not src/Repro.Cli/reports.quick.
        Assert.Equal(ReproApp.Ok, In(deep, "run", "ncsn-mode-weights", "--seed", "2", "--quick", "--no-cache").ExitCode);
        Assert.True(File.Exists(Path.Combine(Dir, "reports.quick", "ncsn-mode-weights", "quick-seed-2", "run.json")));
        Assert.False(Directory.Exists(Path.Combine(deep, "reports.quick")));

        var check = In(deep, "check", "--quick");
        Assert.Equal(ReproApp.GateFailed, check.ExitCode);
        Assert.Contains("2/2 judged gates pass", check.Out);
        // The missing seeds' command names the folders as they are reached from here, so it runs when pasted here.
        string missing = Assert.Single(check.ErrorLines);
        Assert.EndsWith($"run ncsn-mode-weights --seed 1,3 --out {Path.Combine("..", "..", "reports.quick")} --quick --experiments {Path.Combine("..", "..", "experiments")}", missing);
    }

    [Fact]
    public void Outside_any_repository_the_error_says_where_experiments_was_looked_for()
    {
        string nowhere = Directory.CreateTempSubdirectory("repro-nowhere-").FullName;
        try
        {
            var check = In(nowhere, "check");
            Assert.Equal(ReproApp.BadInput, check.ExitCode);
            Assert.Equal($"error: experiments: no such folder in {nowhere} or any folder above it (repro looks for the repository's experiments/ there; run it inside the repository or pass --experiments DIR)",
                Assert.Single(check.ErrorLines));
            var run = In(nowhere, "run", "--quick");
            Assert.Equal(ReproApp.BadInput, run.ExitCode);
            Assert.Contains($"experiments: no such folder in {nowhere} or any folder above it", run.Error);
        }
        finally
        {
            Directory.Delete(nowhere, recursive: true);
        }
    }
}
