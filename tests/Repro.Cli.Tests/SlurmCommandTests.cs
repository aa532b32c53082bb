using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro slurm</c>'s script, judged by what it does when bash runs it: a fake <c>sbatch</c> on PATH records
/// each submission (its arguments and the job script on standard input) and answers a job id; the captured job
/// scripts are then run as Slurm would run them, with a fake <c>repro</c> (given by <c>--repro</c>) recording its
/// arguments. A real Slurm runs the same script in <c>make test-slurm</c> (tools/slurm/test-slurm.sh).
/// Needs bash, as Slurm does.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SlurmCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("repro-slurm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string FakeRepro => Path.Combine(dir, "fake-repro");

    string Script => Path.Combine(dir, "submit.sh");

    string Out => Path.Combine(dir, "merged");

    /// <summary>Writes the script with the fake repro (exit status <paramref name="failOn"/>'s command fails with 1).</summary>
    CliRun Generate(string failOn = "none", params string[] extra)
    {
        File.WriteAllText(FakeRepro, "#!/usr/bin/env bash\n" +
            "echo \"$*\" >> \"$(dirname \"$0\")/repro-calls.txt\"\n" +
            $"[ \"$1\" = {failOn} ] && exit 1\nexit 0\n");
        File.SetUnixFileMode(FakeRepro, (UnixFileMode)0b111_101_101);
        return CliRun.Of(["slurm", "--experiments", RepoPaths.Experiments, "--out", Out, "--repro", FakeRepro, "--script", Script, .. extra]);
    }

    sealed record Submission(string[] Arguments, string JobScript);

    /// <summary>Runs the script with bash and a fake sbatch answering job ids 41, 42, … (as "ID;cluster", like --parsable on a multi-cluster setup).</summary>
    (string Stdout, List<Submission> Submissions) Submit()
    {
        string bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        string log = Directory.CreateDirectory(Path.Combine(dir, "sbatch")).FullName;
        File.WriteAllText(Path.Combine(bin, "sbatch"), "#!/usr/bin/env bash\n" +
            $"n=$(ls '{log}' | grep -c args || true); id=$((41 + n))\n" +
            $"printf '%s\\n' \"$@\" > '{log}'/$id.args\ncat > '{log}'/$id.script\necho \"$id;cluster\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "sbatch"), (UnixFileMode)0b111_101_101);
        var (code, stdout, stderr) = Bash(Script, new() { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.True(code == 0, stderr);
        var submissions = Directory.GetFiles(log, "*.args").Order(StringComparer.Ordinal)
            .Select(a => new Submission(File.ReadAllLines(a), File.ReadAllText(Path.ChangeExtension(a, ".script")))).ToList();
        return (stdout, submissions);
    }

    static (int Code, string Out, string Error) Bash(string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr);
    }

    /// <summary>Runs a captured job script as a Slurm task would (in --chdir, with the array variables) and returns the fake repro's calls.</summary>
    string[] RunJob(Submission job, int? task = null)
    {
        string calls = Path.Combine(dir, "repro-calls.txt");
        File.Delete(calls);
        string file = Path.Combine(dir, "job.sh");
        File.WriteAllText(file, job.JobScript);
        var env = new Dictionary<string, string>();
        if (task is { } t) env["SLURM_ARRAY_TASK_ID"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Bash(file, env);
        return File.Exists(calls) ? File.ReadAllLines(calls) : [];
    }

    static string Directive(Submission job, string option) =>
        Regex.Match(job.JobScript, $"^#SBATCH --{option}=(.*)$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : "";

    [Fact]
    public void Submits_an_array_of_N_shards_then_a_job_after_it_that_merges_reports_and_checks()
    {
        Assert.Equal(0, Generate("none", "--shards", "3", "--quick", "--partition", "debug", "--time", "0:30:00", "--merge-time", "10").ExitCode);

        var (stdout, jobs) = Submit();

        Assert.Equal(2, jobs.Count);
        var (array, merge) = (jobs[0], jobs[1]);
        Assert.Equal("1-3", Directive(array, "array"));
        Assert.Equal("", Directive(merge, "array"));
        Assert.Equal(("debug", "debug"), (Directive(array, "partition"), Directive(merge, "partition")));
        Assert.Equal(("0:30:00", "10"), (Directive(array, "time"), Directive(merge, "time")));
        // The merge job waits for every task of the array job sbatch answered (41, parsed from "41;cluster").
        Assert.Contains("--dependency=afterok:41", merge.Arguments);
        Assert.Contains("--kill-on-invalid-dep=yes", merge.Arguments);
        Assert.DoesNotContain(array.Arguments, a => a.StartsWith("--dependency", StringComparison.Ordinal));
        Assert.Contains("job 41 (array tasks 1-3)", stdout);
        Assert.Contains("job 42", stdout);
        Assert.Contains(array.Arguments, a => a == "--chdir=" + Directory.GetCurrentDirectory());

        // Task I runs shard I/3 into its own folder; together the tasks cover 1/3, 2/3, 3/3 once each.
        var runs = Enumerable.Range(1, 3).Select(i => Assert.Single(RunJob(array, i))).ToArray();
        string shards = Out + ".shards";
        for (int i = 1; i <= 3; i++)
        {
            Assert.StartsWith("run --experiments " + RepoPaths.Experiments + " --quick --threads 1 --jobs 1", runs[i - 1]);
            Assert.Contains($"--shard {i}/3 --out {shards}/shard-{i}", runs[i - 1]);
        }

        // The merge job merges exactly the three shard folders, then reports and gates the merged folder.
        var calls = RunJob(merge);
        Assert.Equal(
        [
            $"merge {Out} {shards}/shard-1 {shards}/shard-2 {shards}/shard-3",
            $"report {Out} --experiments {RepoPaths.Experiments} --quick",
            $"check {Out} --experiments {RepoPaths.Experiments} --quick --junit {Out}/junit.xml",
        ], calls);
    }

    [Fact]
    public void The_merge_job_stops_at_the_first_failing_command_and_exits_non_zero()
    {
        Assert.Equal(0, Generate("merge", "--shards", "2").ExitCode);
        var (_, jobs) = Submit();
        string file = Path.Combine(dir, "merge.sh");
        File.WriteAllText(file, jobs[1].JobScript);

        var (code, _, _) = Bash(file, new());

        Assert.NotEqual(0, code);
        Assert.Single(File.ReadAllLines(Path.Combine(dir, "repro-calls.txt")));
    }

    [Fact]
    public void Named_experiments_are_run_reported_and_checked_and_the_cache_is_shared_beside_out()
    {
        Assert.Equal(0, Generate("none", "dsm-2d-two-blobs", "--shards", "2", "--no-sweep", "--threads", "2", "--jobs", "3").ExitCode);
        var (_, jobs) = Submit();

        Assert.Equal("6", Directive(jobs[0], "cpus-per-task"));
        string run = Assert.Single(RunJob(jobs[0], 2));
        Assert.StartsWith("run dsm-2d-two-blobs --experiments", run);
        Assert.Contains($"--no-sweep --threads 2 --jobs 3 --cache {Path.Combine(dir, ".repro-cache")} --shard 2/2", run);
        var calls = RunJob(jobs[1]);
        Assert.StartsWith($"report {Out} dsm-2d-two-blobs ", calls[1]);
        Assert.StartsWith($"check {Out} dsm-2d-two-blobs ", calls[2]);
    }

    [Fact]
    public void No_cache_reaches_every_shard()
    {
        Assert.Equal(0, Generate("none", "--shards", "1", "--no-cache").ExitCode);
        var (_, jobs) = Submit();

        Assert.Equal("1-1", Directive(jobs[0], "array"));
        string run = Assert.Single(RunJob(jobs[0], 1));
        Assert.Contains("--no-cache --shard 1/1", run);
        Assert.DoesNotContain("--cache", run.Replace("--no-cache", "", StringComparison.Ordinal));
    }

    [Fact]
    public void More_shards_than_units_is_noted_with_the_useful_maximum()
    {
        // ncsn-mode-weights: 3 seeds, no sweep, so 3 units.
        var run = Generate("none", "ncsn-mode-weights", "--shards", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: 5 shards for 3 units (repro plan lists them): shards 4–5 have nothing to run; --shards 3 is the most that helps", run.Error);
        Assert.Contains("5 array tasks over 3 units of 1 experiment", run.Error);
    }

    [Theory]
    [InlineData("--shards: give the number", "--partition", "p")]
    [InlineData("--shards: must be ≥ 1 (got 0)", "--shards", "0")]
    [InlineData("--jobs: must be ≥ 1 (got 0)", "--shards", "2", "--jobs", "0")]
    [InlineData("--time: must be a Slurm time limit", "--shards", "2", "--time", "1h")]
    [InlineData("--partition: must be letters", "--shards", "2", "--partition", "a b")]
    [InlineData("--cache and --no-cache", "--shards", "2", "--no-cache", "--cache", "c")]
    [InlineData("no-such-experiment", "no-such-experiment", "--shards", "2")]
    public void Bad_input_is_one_line_exit_2_and_writes_no_script(string expected, params string[] args)
    {
        var run = Generate("none", args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(Script));
    }
}
