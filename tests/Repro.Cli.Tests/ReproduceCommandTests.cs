using System.Security.Cryptography;

namespace Repro.Cli.Tests;

public sealed class ReproduceCommandTests : ControlInTempFolder
{
    CliRun Reproduce() => CliRun.Of("reproduce", Out, "--experiments", Experiments, "--quick");

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
        Assert.Contains("6/6 judged gates pass; 6 not judged at quick sizes", run.Out);
        Assert.True(File.Exists(Path.Combine(Out, "REPORT.md")));
        Assert.True(File.Exists(Path.Combine(Out, "junit.xml")));
        Assert.True(File.Exists(Path.Combine(Out, "ncsn-mode-weights", "README.md")));
        // Beside the results only the local cache: one whole entry per seed, no temporary folder.
        Assert.Equal([".repro-cache", "experiments", "reports"], Directory.GetDirectories(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(Dir, ".repro-cache")).Length);
        Assert.All(Directory.GetDirectories(Path.Combine(Dir, ".repro-cache")), e => Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(e)));
    }

    /// <summary>The seed lines of a run: "NAME seed S: computed" or "...: reused from the local cache (...)".</summary>
    static string[] SeedLines(CliRun run) => run.Out.Split('\n').Where(l => l.Contains(" seed ") && (l.Contains(": computed") || l.Contains(": reused"))).ToArray();

    static SortedDictionary<string, string> Results(string folder) => new(
        Snapshot(folder).Where(f => f.Key != "junit.xml").ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal);

    [Fact]
    public void A_fresh_folder_computes_every_seed_and_a_second_run_restores_them_from_the_cache_byte_for_byte()
    {
        var first = Reproduce();
        Assert.True(first.ExitCode == ReproApp.Ok, first.Error + first.Out);
        Assert.Equal(3, SeedLines(first).Length);
        Assert.All(SeedLines(first), l => Assert.Contains(": computed: ", l));
        var computed = Results(Out);

        var second = Reproduce();

        Assert.True(second.ExitCode == ReproApp.Ok, second.Error + second.Out);
        Assert.Equal(3, SeedLines(second).Length);
        string cache = Path.Combine(Dir, ".repro-cache");
        Assert.All(SeedLines(second), l => Assert.Matches($@": reused from the local cache \({System.Text.RegularExpressions.Regex.Escape(cache)}/[0-9a-f]{{64}}\): 2 reconstructions$", l));
        Assert.Equal(computed, Results(Out)); // results, report pages and figures alike

        // The same results in a folder with no cache beside it (a fresh clone of a repository that
        // commits them): the committed files are the baseline, never a cache.
        string clone = Path.Combine(Dir, "clone");
        Directory.CreateDirectory(clone);
        CopyFolder(Out, Path.Combine(clone, "reports"));
        var fresh = CliRun.Of("reproduce", Path.Combine(clone, "reports"), "--experiments", Experiments, "--quick", "--no-cache");
        Assert.True(fresh.ExitCode == ReproApp.Ok, fresh.Error + fresh.Out);
        Assert.Equal(3, SeedLines(fresh).Length);
        Assert.All(SeedLines(fresh), l => Assert.Contains(": computed: ", l));
        Assert.False(Directory.Exists(Path.Combine(clone, ".repro-cache")), "--no-cache writes no cache");
        var recomputed = Results(Path.Combine(clone, "reports"));
        foreach (var (file, hash) in computed.Where(f => !f.Key.EndsWith("run.json", StringComparison.Ordinal) && !f.Key.EndsWith(".md", StringComparison.Ordinal)))
            Assert.True(recomputed[file] == hash, file + " differs when recomputed"); // only timings differ
    }

    [Fact]
    public void A_damaged_cache_entry_is_recomputed_with_a_note_naming_it_and_its_reason()
    {
        Assert.Equal(ReproApp.Ok, Reproduce().ExitCode);
        var computed = Results(Out);
        string cache = Path.Combine(Dir, ".repro-cache");
        string entry = Directory.GetDirectories(cache).Single(e => File.ReadAllText(Path.Combine(e, "manifest.json")).Contains("seed=2\\n"));
        File.AppendAllText(Path.Combine(entry, "samples-plain-langevin.csv"), "0.5,0.5\n");

        var run = Reproduce();

        Assert.True(run.ExitCode == ReproApp.Ok, run.Error + run.Out);
        Assert.Equal($"note: ncsn-mode-weights seed 2: {entry}: damaged cache entry (samples-plain-langevin.csv: SHA-256 differs from the manifest); recomputed",
            Assert.Single(run.ErrorLines));
        // One line per seed, in the order the units finish (--jobs runs them at once).
        var lines = SeedLines(run);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ncsn-mode-weights seed 2: computed: ", Assert.Single(lines, l => l.StartsWith("ncsn-mode-weights seed 2: ", StringComparison.Ordinal)));
        Assert.All(lines.Where(l => !l.StartsWith("ncsn-mode-weights seed 2: ", StringComparison.Ordinal)), l => Assert.Contains(": reused from the local cache", l));
        foreach (var (file, hash) in computed.Where(f => !f.Key.EndsWith("run.json", StringComparison.Ordinal) && !f.Key.EndsWith(".md", StringComparison.Ordinal)))
            Assert.True(Results(Out)[file] == hash, file + " differs");
        // The recomputed seed replaced the damaged entry.
        Assert.All(SeedLines(Reproduce()), l => Assert.Contains(": reused from the local cache", l));
    }

    static void CopyFolder(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    [Fact]
    public void Junit_is_a_path_like_checks_and_a_stale_one_is_deleted_when_nothing_is_judged()
    {
        string junit = Path.Combine(Dir, "ci", "gates.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(junit)!);

        var run = CliRun.Of("reproduce", Out, "--experiments", Experiments, "--quick", "--junit", junit);

        Assert.True(run.ExitCode == ReproApp.Ok, run.Error + run.Out);
        var names = System.Xml.Linq.XDocument.Load(junit).Descendants("testcase").Select(c => c.Attribute("name")!.Value).ToArray();
        Assert.Equal(12, names.Length);
        Assert.All(names, n => Assert.Contains("/quick-seed-", n));
        Assert.False(File.Exists(Path.Combine(Out, "junit.xml")), "--junit names the file; nothing is written in the results folder");

        // A definition that does not parse: nothing is judged, and the file CI reads must not keep the old verdicts.
        File.WriteAllText(Path.Combine(Experiments, "broken.json"), "{ not json");
        var bad = CliRun.Of("reproduce", Out, "--experiments", Experiments, "--quick", "--junit", junit);
        Assert.Equal(ReproApp.BadInput, bad.ExitCode);
        Assert.False(File.Exists(junit));
    }

    [Fact]
    public void A_run_that_fails_part_way_leaves_the_previous_report_byte_for_byte()
    {
        Assert.Equal(ReproApp.Ok, Reproduce().ExitCode);
        var before = Snapshot(Out);

        // A second definition whose seed folder cannot be made (a file where its folder belongs):
        // the run stops with bad input after the control has been run into the staging copy.
        string other = File.ReadAllText(Path.Combine(Experiments, "ncsn-mode-weights.json")).Replace("\"ncsn-mode-weights\"", "\"zz-control-copy\"");
        File.WriteAllText(Path.Combine(Experiments, "zz-control-copy.json"), other);
        File.WriteAllText(Path.Combine(Out, "zz-control-copy"), "in the way\n");
        before = Snapshot(Out);

        var run = Reproduce();

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Contains("zz-control-copy/quick-seed-1: cannot be made a seed folder", Assert.Single(run.ErrorLines));
        Assert.Equal(before, Snapshot(Out));
        Assert.Equal([".repro-cache", "experiments", "reports"], Directory.GetDirectories(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_run_whose_sampler_diverges_is_reported_and_gated_not_crashed()
    {
        // Adam at learning rate 10: the loss stays finite, but the learned score is so large that
        // Langevin's particles leave every finite value within a few steps.
        string definition = File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json"))
            .Replace("\"name\": \"dsm-1d-two-gaussians\"", "\"name\": \"diverging\"")
            .Replace("\"learningRate\": 5e-3", "\"learningRate\": 10")
            .Replace("\"seeds\": [1, 2, 3]", "\"seeds\": [1]");
        Assert.Contains("\"learningRate\": 10", definition);
        File.WriteAllText(Path.Combine(Experiments, "diverging.json"), definition);

        var run = Reproduce();

        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        Assert.Contains("diverging seed 1: diverged in sampling forward-backward at step", run.Error);
        Assert.Contains("**Seed 1 diverged in sampling forward-backward", File.ReadAllText(Path.Combine(Out, "diverging", "README.md")));
        Assert.True(File.Exists(Path.Combine(Out, "REPORT.md")));
    }
}

public sealed class ResultsLockTests : ControlInTempFolder
{
    [Fact]
    public void A_second_writer_is_refused_at_once_naming_the_holder_and_touches_nothing()
    {
        using (Repro.Results.ResultsLock.Acquire(Out, "reproduce"))
        {
            var run = CliRun.Of("reproduce", Out, "--experiments", Experiments, "--quick");
            var report = CliRun.Of("run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Out, "--quick");

            Assert.Equal(ReproApp.BadInput, run.ExitCode);
            string line = Assert.Single(run.ErrorLines);
            Assert.Contains($"in use by pid {Environment.ProcessId} (`repro reproduce`, started ", line);
            Assert.Equal(ReproApp.BadInput, report.ExitCode);
            Assert.False(Directory.Exists(Out));
            Assert.False(Directory.Exists(Out + ".staging"));
        }
        // Released: the next run goes ahead and leaves no owner note, nor (Linux) an empty lock file, behind.
        Assert.Equal(ReproApp.Ok, CliRun.Of("reproduce", Out, "--experiments", Experiments, "--quick").ExitCode);
        Assert.False(File.Exists(Out + ".lock.owner"));
        Assert.Equal(!Repro.Results.ResultsLock.RemovesLockFile, File.Exists(Out + ".lock"));
        Assert.Equal(ReproApp.Ok, CliRun.Of("run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Out + "-run", "--quick", "--seed", "1").ExitCode);
        Assert.Equal(!Repro.Results.ResultsLock.RemovesLockFile, File.Exists(Out + "-run.lock"));
    }

    [Fact]
    public void The_os_releases_the_lock_of_a_killed_holder()
    {
        // Another process (util-linux flock(1), -o: only flock itself holds the descriptor, not its
        // sleeping child) takes the same flock and is killed with SIGKILL.
        var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", ["-x", "-o", Out + ".lock", "sleep", "300"]))!;
        try
        {
            // Wait until flock(1) holds the lock of the file now at that name. A repro run started earlier would take the
            // lock first and remove the file when done; flock(1), which blocks instead of retrying, would then hold a lock
            // on the removed file, which excludes nobody (repro itself retries such a lock: ResultsLock.Acquire).
            for (int i = 0; ; i++)
            {
                try
                {
                    using var probe = new FileStream(Out + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException)
                {
                    break;
                }
                Assert.True(i < 600, "flock(1) did not take the lock within 60 s");
                Thread.Sleep(100);
            }
            var refused = CliRun.Of("run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Out, "--quick", "--seed", "1");
            Assert.Equal(ReproApp.BadInput, refused.ExitCode);
            Assert.Contains("in use by another process", Assert.Single(refused.ErrorLines));
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // flock(1) and the sleep that inherited its descriptor
            holder.WaitForExit();
        }
        var after = CliRun.Of("run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Out, "--quick", "--seed", "1");
        Assert.True(after.ExitCode == ReproApp.Ok, after.Error);
    }
}
