using System.Diagnostics;
using Repro.Core.Definitions;
using Repro.Runs;
using Repro.Runs.Plan;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>--jobs N</c>: units computed by worker processes give the same files as <c>--jobs 1</c> (wall times aside), the
/// workers' output lines arrive whole and prefixed by their unit, and a failing worker stops the others and leaves the
/// results folder untouched.
/// </summary>
public sealed class JobsTests : ControlInTempFolder
{
    /// <summary>The control and the 1D DSM experiment: two experiments, one that trains.</summary>
    public JobsTests() =>
        File.Copy(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json"), Path.Combine(Experiments, "dsm-1d-two-gaussians.json"));

    string PathOf(string name) => Path.Combine(Dir, name);

    CliRun Run(string outName, params string[] extra) =>
        CliRun.Of(["run", "--experiments", Experiments, "--seed", "1,2", "--quick", "--no-cache", "--out", PathOf(outName), .. extra]);

    [Fact]
    public void Two_jobs_give_the_files_of_one_job_with_whole_prefixed_lines()
    {
        var one = Run("one", "--jobs", "1");
        Assert.Equal(ReproApp.Ok, one.ExitCode);
        var two = Run("two", "--jobs", "2");
        Assert.True(two.ExitCode == ReproApp.Ok, two.Error);
        ResultsTrees.EqualExceptTimings(PathOf("one"), PathOf("two"));
        var lines = two.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("running 4 units in 2 worker processes (--jobs 2, --threads 1 each)", lines[0]);
        // Every line a worker printed names its unit, and each unit's result line comes once.
        lines = lines[1..];
        Assert.All(lines, l => Assert.Matches(@"^(dsm-1d-two-gaussians|ncsn-mode-weights) seed [12]: ", l));
        foreach (string unit in new[] { "dsm-1d-two-gaussians seed 1", "dsm-1d-two-gaussians seed 2", "ncsn-mode-weights seed 1", "ncsn-mode-weights seed 2" })
            Assert.Single(lines, l => l.StartsWith(unit + ": computed: ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(ParallelRun.WorkFolderOf(PathOf("two"))));
    }

    /// <summary>A stand-in worker: a shell script given the worker's arguments (worker 1 sleeps, the others run <paramref name="script"/>).</summary>
    static ProcessStartInfo Worker(string script, string first = "sleep 120")
    {
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"case \"$*\" in *worker-1*) {first};; *) {script};; esac");
        return start;
    }

    [Theory]
    [InlineData("echo 'error: a definition went bad' >&2; exit 2", ReproApp.BadInput, "error: a definition went bad")]
    [InlineData("echo 'Unhandled exception. System.Exception: boom' >&2; kill -SEGV $$", 139, "error: a worker process of --jobs 2 exited with code 139; nothing was written to ")]
    public void A_failing_worker_stops_the_others_and_nothing_is_written(string script, int code, string line)
    {
        string results = PathOf("results");
        Assert.Equal(ReproApp.Ok, Run("results", "ncsn-mode-weights", "--seed", "1", "--jobs", "1").ExitCode);
        var before = ResultsTrees.Hashes(results);
        var units = RunPlan.Of(ExperimentDefinition.LoadAll(Experiments), [1, 2], sweep: true, quick: true).Units;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        int exit = ParallelRun.Run(units, [], new RunOptions(results, 1, true, false), 2, new Streams(stdout, stderr), Worker(script));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the sleeping worker was not stopped ({clock.Elapsed})");
        Assert.Equal(code, exit);
        Assert.Contains(stderr.ToString().Split('\n'), l => l.StartsWith(line, StringComparison.Ordinal));
        Assert.Equal(before, ResultsTrees.Hashes(results));
        Assert.False(Directory.Exists(ParallelRun.WorkFolderOf(results)));
    }

    [Fact]
    public void A_worker_that_returns_no_result_for_a_unit_is_refused_and_nothing_is_written()
    {
        string results = PathOf("results");
        var units = RunPlan.Of(ExperimentDefinition.LoadAll(Experiments), [1], sweep: true, quick: true).Units;
        var stderr = new StringWriter();
        var e = Assert.Throws<Core.InputException>(() =>
            ParallelRun.Run(units, [], new RunOptions(results, 1, true, false), 2, new Streams(new StringWriter(), stderr), Worker("exit 0", first: "exit 0")));
        Assert.Contains("came back from 0 worker processes, not one", e.Message);
        Assert.False(Directory.Exists(results));
    }
}
