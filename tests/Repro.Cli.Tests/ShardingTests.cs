using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>plan</c>, <c>run --shard</c> and <c>merge</c> end to end at quick settings on two experiments × two seeds
/// (the exact-score control and the 1D DSM experiment): shards are disjoint and complete, merged in any
/// order they equal a one-process run, and an interrupted shard resumes from the local cache.
/// </summary>
public sealed class ShardingTests : ControlInTempFolder
{
    /// <summary>The control and the 1D DSM experiment: two experiments, one that trains.</summary>
    public ShardingTests() =>
        File.Copy(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json"), Path.Combine(Experiments, "dsm-1d-two-gaussians.json"));

    string PathOf(string name) => Path.Combine(Dir, name);

    string[] Units => ["--experiments", Experiments, "--seed", "1,2", "--quick"];

    CliRun Plan(params string[] extra) => CliRun.Of(["plan", .. Units, .. extra]);

    CliRun Run(string outName, params string[] extra) => CliRun.Of(["run", .. Units, "--out", PathOf(outName), .. extra]);

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Plan_lists_every_unit_once_and_the_shards_split_it_disjointly()
    {
        var plan = Plan();
        Assert.Equal(ReproApp.Ok, plan.ExitCode);
        var all = Lines(plan.Out);
        Assert.Equal(4, all.Length);
        Assert.All(all, l => Assert.Matches(new Regex("^[0-9a-f]{16} (dsm-1d-two-gaussians|ncsn-mode-weights) [12]$"), l));
        Assert.Equal(all.Length, all.Select(l => l[..16]).Distinct().Count());
        Assert.Matches(new Regex("^plan [0-9a-f]{16}: 4 units$"), plan.Error.Trim());
        foreach (int n in new[] { 1, 2, 3, 5 })
        {
            var shards = Enumerable.Range(1, n).Select(i => Lines(Plan("--shard", $"{i}/{n}").Out)).ToArray();
            var union = shards.SelectMany(s => s).ToArray();
            Assert.Equal(all.Order(), union.Order());
            Assert.Equal(union.Length, union.Distinct().Count());
        }
        // Run order: the definitions in file-name order, each seed by seed.
        Assert.Equal(["dsm-1d-two-gaussians 1", "dsm-1d-two-gaussians 2", "ncsn-mode-weights 1", "ncsn-mode-weights 2"], all.Select(l => l[17..]));
    }

    [Theory]
    [InlineData("plan", "--shard", "0/2", "error: --shard: i must be between 1 and N = 2 (got \"0/2\"; shards are numbered from 1, like Slurm's --array=1-2)")]
    [InlineData("plan", "--shard", "3/2", "error: --shard: i must be between 1 and N = 2 (got \"3/2\"; shards are numbered from 1, like Slurm's --array=1-2)")]
    [InlineData("run", "--shard", "1/0", "error: --shard: N must be ≥ 1 (got \"1/0\")")]
    [InlineData("run", "--shard", "one/two", "error: --shard: must be i/N, two whole numbers with 1 ≤ i ≤ N, e.g. 1/4 (got \"one/two\")")]
    public void A_bad_shard_is_one_line_and_exit_2(string command, string option, string value, string line)
    {
        var result = command == "run"
            ? CliRun.Of(command, "--experiments", Experiments, "--out", PathOf("never"), option, value)
            : CliRun.Of(command, "--experiments", Experiments, option, value);
        Assert.Equal(ReproApp.BadInput, result.ExitCode);
        Assert.Equal([line], result.ErrorLines);
        Assert.False(Directory.Exists(PathOf("never")));
    }

    [Fact]
    public void An_unknown_experiment_and_a_missing_shard_folder_are_one_line_and_exit_2()
    {
        var plan = CliRun.Of("plan", "ncsn-mode-weight", "--experiments", Experiments);
        Assert.Equal(ReproApp.BadInput, plan.ExitCode);
        Assert.Equal([$"error: ncsn-mode-weight: no such experiment in {Experiments} (did you mean \"ncsn-mode-weights\"?)"], plan.ErrorLines);
        var merge = CliRun.Of("merge", PathOf("merged"), PathOf("absent"));
        Assert.Equal(ReproApp.BadInput, merge.ExitCode);
        Assert.Equal([$"error: {PathOf("absent")}: no such folder"], merge.ErrorLines);
        Assert.False(Directory.Exists(PathOf("merged")));
        var into = CliRun.Of("merge", PathOf("absent"), PathOf("absent"));
        Assert.Equal(ReproApp.BadInput, into.ExitCode);
        Assert.Contains("merge into a folder of its own", into.Error);
    }

    [Fact]
    public void Shards_merged_in_any_order_equal_a_one_process_run()
    {
        Assert.Equal(ReproApp.Ok, Run("one", "--no-cache").ExitCode);
        var first = Run("s1", "--shard", "1/2", "--no-cache");
        Assert.Equal(ReproApp.Ok, first.ExitCode);
        Assert.Equal(2, Lines(first.Out).Count(l => l.Contains(": computed:", StringComparison.Ordinal)));
        Assert.Equal(ReproApp.Ok, Run("s2", "--shard", "2/2", "--no-cache").ExitCode);
        Assert.True(File.Exists(Path.Combine(PathOf("s1"), "shard-1-of-2.json")));

        var merged = CliRun.Of("merge", PathOf("m1"), PathOf("s2"), PathOf("s1"));
        Assert.Equal(ReproApp.Ok, merged.ExitCode);
        Assert.Matches(new Regex($"^merged 4 units from 2 shards of plan [0-9a-f]{{16}} into {Regex.Escape(PathOf("m1"))}$"), merged.Out.Trim());
        Assert.Equal(ReproApp.Ok, CliRun.Of("merge", PathOf("m2"), PathOf("s1"), PathOf("s2")).ExitCode);
        Assert.Equal(ResultsTrees.Hashes(PathOf("m1")), ResultsTrees.Hashes(PathOf("m2")));
        // Every file of the one-process run, byte for byte (wall times aside), and nothing more: no manifest.
        ResultsTrees.EqualExceptTimings(PathOf("one"), PathOf("m1"));

        var check = CliRun.Of("check", PathOf("m1"), "--experiments", Experiments, "--quick", "--seed", "1,2");
        var reference = CliRun.Of("check", PathOf("one"), "--experiments", Experiments, "--quick", "--seed", "1,2");
        Assert.Equal(reference.ExitCode, check.ExitCode);
        Assert.Equal(reference.Out.Replace(PathOf("one"), ""), check.Out.Replace(PathOf("m1"), ""));

        // One shard alone is refused, naming the missing one; the target is left as it was.
        var partial = CliRun.Of("merge", PathOf("m1"), PathOf("s1"));
        Assert.Equal(ReproApp.BadInput, partial.ExitCode);
        Assert.Single(partial.ErrorLines);
        Assert.Contains("incomplete: shard 2/2 of plan", partial.Error);
        Assert.Equal(ResultsTrees.Hashes(PathOf("m2")), ResultsTrees.Hashes(PathOf("m1")));
    }

    [Fact]
    public void An_interrupted_shard_resumes_recomputing_only_its_unfinished_unit()
    {
        string cache = PathOf("cache");
        var first = Run("s1", "--shard", "1/2", "--cache", cache);
        Assert.Equal(ReproApp.Ok, first.ExitCode);
        var before = ResultsTrees.Hashes(PathOf("s1"));
        // As if killed while computing its last unit (ncsn-mode-weights seed 1): no run.json, no cache entry.
        string last = Path.Combine(PathOf("s1"), "ncsn-mode-weights", "quick-seed-1");
        File.Delete(Path.Combine(last, "run.json"));
        foreach (string entry in Directory.GetDirectories(cache))
            if (File.ReadAllText(Path.Combine(entry, "manifest.json")).Contains("experiment=ncsn-mode-weights\\nseed=1\\n", StringComparison.Ordinal))
                Directory.Delete(entry, recursive: true);
        var unfinished = CliRun.Of("merge", PathOf("m"), PathOf("s1"));
        Assert.Equal(ReproApp.BadInput, unfinished.ExitCode);
        Assert.StartsWith($"error: {PathOf("s1")}: incomplete: shard 1/2 (shard-1-of-2.json) has no finished ncsn-mode-weights seed 1", Assert.Single(unfinished.ErrorLines));

        var resumed = Run("s1", "--shard", "1/2", "--cache", cache);
        Assert.Equal(ReproApp.Ok, resumed.ExitCode);
        var lines = Lines(resumed.Out).Where(l => l.Contains(" seed ", StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal) && (l.Contains("computed", StringComparison.Ordinal) || l.Contains("reused", StringComparison.Ordinal))).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("dsm-1d-two-gaussians seed 1: reused from the local cache", lines[0]);
        Assert.StartsWith("ncsn-mode-weights seed 1: computed:", lines[1]);
        var after = ResultsTrees.Hashes(PathOf("s1"));
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before.Where(f => f.Key.StartsWith("dsm-1d-two-gaussians", StringComparison.Ordinal)), f => Assert.Equal(f.Value, after[f.Key]));
    }
}
