namespace Repro.Cli.Tests;

/// <summary><c>repro stats</c> on NumPy files (tests/Repro.Results.Tests/Fixtures/npy, written by NumPy): the same output as the same samples in CSV.</summary>
public class StatsNpyTests
{
    static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "Repro.Results.Tests", "Fixtures", "npy", name);

    [Theory]
    [InlineData("moments", "samples-f8.npy", "samples-f8.csv")]
    [InlineData("ks", "samples-fortran.npy", "samples-f8.csv")]
    [InlineData("modes", "samples.npz", "samples-f8.csv")]
    [InlineData("ksd", "samples-f4.npy", "samples-f4.csv")]
    public void Npy_and_npz_samples_give_the_statistics_of_the_same_samples_in_CSV(string test, string npy, string csv)
    {
        string[] common = ["--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments, "--sigma", "1.25", "--permutations", "20", "--json"];

        var fromNpy = CliRun.Of(["stats", test, Fixture(npy), .. common]);
        var fromCsv = CliRun.Of(["stats", test, Fixture(csv), .. common]);

        // Same samples, same statistics, same verdict: the exit code (0 consistent, 1 rejected) must match too.
        Assert.Contains(fromCsv.ExitCode, new[] { ReproApp.Ok, ReproApp.GateFailed });
        Assert.Equal(fromCsv.Out, fromNpy.Out);
        Assert.Equal(fromCsv.ExitCode, fromNpy.ExitCode);
    }

    [Fact]
    public void Two_sample_mmd_reads_one_npy_and_one_csv()
    {
        var mixed = CliRun.Of("stats", "mmd", Fixture("samples-v2.npy"), Fixture("samples-f4.csv"), "--permutations", "20", "--json");
        var csv = CliRun.Of("stats", "mmd", Fixture("samples-f8.csv"), Fixture("samples-f4.csv"), "--permutations", "20", "--json");

        Assert.Contains(csv.ExitCode, new[] { ReproApp.Ok, ReproApp.GateFailed });
        // The output names its inputs; apart from the file name, the statistics and the verdict must be the same.
        Assert.Equal(csv.Out, mixed.Out.Replace(Fixture("samples-v2.npy"), Fixture("samples-f8.csv")));
        Assert.Equal(csv.ExitCode, mixed.ExitCode);
    }

    [Fact]
    public void An_integer_npy_gets_one_line_and_exit_2()
    {
        var run = CliRun.Of("stats", "moments", Fixture("int64.npy"), "--against", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {Fixture("int64.npy")}: dtype '<i8'; samples must be float32 ('<f4') or float64 ('<f8'): save x.astype(np.float64)"], run.ErrorLines);
    }
}
