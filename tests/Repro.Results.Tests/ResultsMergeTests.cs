using Repro.Core;

namespace Repro.Results.Tests;

/// <summary>
/// <see cref="ResultsMerge"/> on synthetic shard folders (no training): order-independent, byte-for-byte copies of
/// the units and nothing else, and every refusal with one line naming the folder and the reason, the target untouched.
/// </summary>
public sealed class ResultsMergeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-merge-").FullName;

    const string Plan = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    static readonly string Code = new('c', 64);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A finished unit: a run record and two result files whose bytes depend on the experiment and seed.</summary>
    static void WriteUnit(string root, string experiment, long seed, string? code = null, string? definition = null, int threads = 1)
    {
        string folder = Path.Combine(root, experiment, $"quick-seed-{seed}");
        Directory.CreateDirectory(folder);
        new RunRecord
        {
            Experiment = experiment, DefinitionHash = definition ?? new string('d', 64), Seed = seed, Quick = true, Threads = threads,
            Versions = "TorchSharp 0.107.0", Code = code ?? Code, Status = RunStatus.Ok, Seconds = 1.25,
        }.Write(Path.Combine(folder, SeedFiles.Run));
        File.WriteAllText(Path.Combine(folder, SeedFiles.Metrics), $"experiment,seed,reconstruction,reference,metric,value\n{experiment},{seed},fb,p0,ks-statistic,0.0{seed}\n");
        File.WriteAllBytes(Path.Combine(folder, SeedFiles.Weights), Enumerable.Range(0, 1000).Select(i => (byte)(i * seed + experiment.Length)).ToArray());
    }

    /// <summary>Shard <paramref name="shard"/> of <paramref name="of"/> of the plan {exp × seeds 1..units} cut round robin, written and its units finished.</summary>
    string WriteShard(string name, int shard, int of, int units = 5, string plan = Plan, bool finish = true)
    {
        string root = PathOf(name);
        var mine = Enumerable.Range(1, units).Where(s => (s - 1) % of == shard - 1).Select(s => (long)s).ToArray();
        new ShardManifest
        {
            Shard = shard, Of = of, Plan = plan, PlanUnits = units, Code = Code, Threads = 1, Quick = true,
            Command = $"repro run exp --quick --shard {shard}/{of} --out {name}",
            Units = mine.Select(s => new ShardUnit(new string('0', 64), "exp", s, $"exp/quick-seed-{s}")).ToArray(),
        }.Write(root);
        if (finish)
            foreach (long s in mine) WriteUnit(root, "exp", s);
        return root;
    }

    static SortedDictionary<string, string> Tree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    static InputException Refused(params string[] sources) => Assert.Throws<InputException>(() => ResultsMerge.Prepare(sources));

    [Fact]
    public void Shards_merged_in_any_order_give_the_plain_folder_byte_for_byte_and_no_manifest()
    {
        string plain = PathOf("plain");
        for (long s = 1; s <= 5; s++) WriteUnit(plain, "exp", s);
        string[] shards = [WriteShard("s1", 1, 3), WriteShard("s2", 2, 3), WriteShard("s3", 3, 3)];
        var forward = ResultsMerge.Prepare(shards);
        ResultsMerge.Apply(forward, PathOf("m1"));
        ResultsMerge.Apply(ResultsMerge.Prepare([shards[2], shards[0], shards[1]]), PathOf("m2"));
        Assert.Equal(5, forward.Units.Count);
        Assert.Equal(3, forward.Shards);
        Assert.Equal(Plan, forward.Plan);
        Assert.Equal(Tree(plain), Tree(PathOf("m1")));
        Assert.Equal(Tree(plain), Tree(PathOf("m2")));
        Assert.False(Directory.Exists(StagedFolder.StagingOf(PathOf("m1"))));
    }

    [Fact]
    public void Merging_into_a_results_folder_keeps_what_it_holds_and_replaces_the_merged_units()
    {
        string target = PathOf("target");
        WriteUnit(target, "other", 1);
        WriteUnit(target, "exp", 1, definition: new string('e', 64));
        File.WriteAllText(Path.Combine(target, "REPORT.md"), "old report\n");
        ResultsMerge.Apply(ResultsMerge.Prepare([WriteShard("s1", 1, 2), WriteShard("s2", 2, 2)]), target);
        Assert.True(File.Exists(Path.Combine(target, "other", "quick-seed-1", SeedFiles.Run)));
        Assert.Equal("old report\n", File.ReadAllText(Path.Combine(target, "REPORT.md")));
        Assert.Equal(new string('d', 64), RunRecord.Read(Path.Combine(target, "exp", "quick-seed-1", SeedFiles.Run))!.DefinitionHash);
    }

    [Fact]
    public void The_same_unit_in_two_folders_is_taken_once_when_its_bytes_agree_and_refused_when_not()
    {
        string a = PathOf("a"), b = PathOf("b");
        WriteUnit(a, "exp", 1);
        WriteUnit(a, "exp", 2);
        WriteUnit(b, "exp", 2);
        Assert.Equal(2, ResultsMerge.Prepare([a, b]).Units.Count);
        File.AppendAllText(Path.Combine(b, "exp", "quick-seed-2", SeedFiles.Metrics), "exp,2,fb,p0,extra,1\n");
        var e = Refused(a, b);
        Assert.Contains(Path.Combine(b, "exp", "quick-seed-2"), e.Message);
        Assert.Contains("different bytes (metrics.csv differs)", e.Message);
    }

    [Fact]
    public void A_missing_shard_is_refused_naming_it()
    {
        var e = Refused(WriteShard("s1", 1, 3), WriteShard("s3", 3, 3));
        Assert.Contains("incomplete: shard 2/3 of plan ab12ab12ab12ab12 in none of the folders given", e.Message);
        Assert.Contains("--shard 2/3", e.Message);
    }

    [Fact]
    public void An_unfinished_shard_is_refused_with_the_command_that_resumes_it()
    {
        string s2 = WriteShard("s2", 2, 2);
        File.Delete(Path.Combine(s2, "exp", "quick-seed-4", SeedFiles.Run));
        var e = Refused(WriteShard("s1", 1, 2), s2);
        Assert.StartsWith($"{s2}: incomplete: shard 2/2 (shard-2-of-2.json) has no finished exp seed 4", e.Message);
        Assert.Contains("`repro run exp --quick --shard 2/2 --out s2`", e.Message);
    }

    [Fact]
    public void Shards_of_different_plans_are_refused()
    {
        var e = Refused(WriteShard("s1", 1, 2), WriteShard("s2", 2, 2, plan: new string('f', 64)));
        Assert.Contains("shard-2-of-2.json: shard 2/2 of plan ffffffffffffffff", e.Message);
        Assert.Contains("merge shards of one plan", e.Message);
        var counts = Refused(WriteShard("t1", 1, 2), WriteShard("t2", 2, 3), WriteShard("t3", 1, 3), WriteShard("t4", 3, 3));
        Assert.Contains("shard 2/3", counts.Message);
    }

    [Fact]
    public void Results_of_different_builds_thread_counts_or_definitions_are_refused()
    {
        string a = PathOf("a"), b = PathOf("b"), c = PathOf("c"), d = PathOf("d");
        WriteUnit(a, "exp", 1);
        WriteUnit(b, "exp", 2, code: new string('9', 64));
        WriteUnit(c, "exp", 3, threads: 2);
        WriteUnit(d, "exp", 4, definition: new string('e', 64));
        Assert.Contains("made by another build than", Refused(a, b).Message);
        Assert.Contains("(code 999999999999 against cccccccccccc)", Refused(a, b).Message);
        Assert.Contains("(--threads 2 against 1)", Refused(a, c).Message);
        Assert.Contains("exp from another definition than", Refused(a, d).Message);
    }

    [Fact]
    public void A_seed_folder_without_run_json_and_a_missing_or_empty_folder_are_refused()
    {
        string a = PathOf("a");
        WriteUnit(a, "exp", 1);
        WriteUnit(a, "exp", 2);
        File.Delete(Path.Combine(a, "exp", "quick-seed-2", SeedFiles.Run));
        Assert.Equal($"{Path.Combine(a, "exp", "quick-seed-2")}: incomplete: a seed folder without run.json (its run was interrupted); rerun it or remove the folder", Refused(a).Message);
        Assert.Equal($"{PathOf("none")}: no such folder", Refused(PathOf("none")).Message);
        Directory.CreateDirectory(PathOf("empty"));
        Assert.Contains("holds no finished results", Refused(PathOf("empty")).Message);
    }

    [Fact]
    public void A_refused_merge_leaves_the_target_as_it_was()
    {
        string target = PathOf("target");
        WriteUnit(target, "exp", 1);
        var before = Tree(target);
        Assert.Throws<InputException>(() => ResultsMerge.Apply(ResultsMerge.Prepare([WriteShard("s1", 1, 2)]), target));
        Assert.Equal(before, Tree(target));
        Assert.False(Directory.Exists(StagedFolder.StagingOf(target)));
    }
}
