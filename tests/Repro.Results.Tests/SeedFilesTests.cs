using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results.Tests;

/// <summary>
/// The typed results store: each per-seed file has one record that writes it and reads it back
/// bit for bit, the committed results re-write byte for byte (so moving the writers here changed
/// no file), and a damaged file fails with its name and line.
/// </summary>
public sealed class SeedFilesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    SeedFiles Files => new(_dir);

    static RunRecord Record(RunStatus status) => new()
    {
        Experiment = "e", DefinitionHash = "h", Seed = 3, Quick = true, Threads = 1, Versions = "v", Code = "c",
        Status = status, DivergedAtStep = status == RunStatus.Ok ? null : 17, DivergedIn = status == RunStatus.Ok ? null : "training",
    };

    [Theory]
    [InlineData(RunStatus.Ok, "\"Status\": \"ok\"")]
    [InlineData(RunStatus.Diverged, "\"Status\": \"diverged\"")]
    public void The_status_is_stored_as_the_lower_case_word_and_read_back(RunStatus status, string stored)
    {
        Files.WriteRun(Record(status));

        Assert.Contains(stored, File.ReadAllText(Files.PathOf(SeedFiles.Run)));
        var back = Files.ReadRun()!;
        Assert.Equal(status, back.Status);
        Assert.Equal(status == RunStatus.Ok, back.Finished);
        Assert.Equal(Record(status) with { Reconstructions = back.Reconstructions }, back);
    }

    [Fact]
    public void An_unknown_status_is_refused_naming_the_file()
    {
        Files.WriteRun(Record(RunStatus.Ok));
        string path = Files.PathOf(SeedFiles.Run);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"ok\"", "\"fine\""));

        var e = Assert.Throws<InputException>(() => Files.ReadRun());
        Assert.StartsWith(path + ": not a run record", e.Message);
    }

    [Fact]
    public void A_folder_without_run_json_has_no_run()
    {
        Assert.Null(Files.ReadRun());
        Files.DeleteRun();
    }

    // Values whose shortest round-trip text is long, tiny, huge or negative: "R" must give the same bits back.
    static readonly double[] Awkward = [0.1 + 0.2, -1e-300, 6.02214076e23, Math.PI, -0.0, 1.0 / 3, 5e-324];

    static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void The_loss_trace_has_its_documented_text_and_reads_back_bit_for_bit()
    {
        Files.WriteLoss(new LossTrace([0.5, 0.25], [1e-3, 5e-4]));
        Assert.Equal("step,loss,lr\n1,0.5,0.001\n2,0.25,0.0005\n", File.ReadAllText(Files.PathOf(SeedFiles.Loss)));

        var trace = new LossTrace(Awkward, Awkward.Reverse().ToArray());
        Files.WriteLoss(trace);
        var back = Files.ReadLoss();
        Assert.Equal(Bits(trace.Loss), Bits(back.Loss));
        Assert.Equal(Bits(trace.LearningRate), Bits(back.LearningRate));
    }

    [Fact]
    public void The_moment_trace_has_its_documented_text_and_reads_back_bit_for_bit()
    {
        var table = new MomentsTable(2, [(0, [1.5, -2], [0.25, 4]), (10, [Awkward[0], Awkward[1]], [Awkward[2], Awkward[3]])]);
        Files.WriteMoments("gen", table);

        Assert.StartsWith("step,mean_x1,mean_x2,var_x1,var_x2\n0,1.5,-2,0.25,4\n10,", File.ReadAllText(Files.PathOf(SeedFiles.Moments("gen"))));
        var back = Files.ReadMoments("gen")!;
        Assert.Equal(2, back.Dimension);
        Assert.Equal(table.Rows.Select(r => r.Step), back.Rows.Select(r => r.Step));
        Assert.Equal(Bits(table.Rows.SelectMany(r => r.Mean.Concat(r.Variance))), Bits(back.Rows.SelectMany(r => r.Mean.Concat(r.Variance))));
        Assert.Null(Files.ReadMoments("other"));
    }

    [Fact]
    public void Trajectories_are_written_particle_by_particle_and_read_back_step_by_step()
    {
        // Two particles in 2D at steps 0 and 5.
        var table = new TrajectoriesTable([0, 5], [new Points([1, 2, 3, 4], 2), new Points([5, 6, Awkward[0], Awkward[5]], 2)]);
        Files.WriteTrajectories("gen", table);

        string text = File.ReadAllText(Files.PathOf(SeedFiles.Trajectories("gen")));
        Assert.StartsWith("particle,step,x1,x2\n0,0,1,2\n0,5,5,6\n1,0,3,4\n1,5,", text);
        var back = Files.ReadTrajectories("gen", 2)!;
        Assert.Equal([0, 5], back.Steps);
        Assert.Equal(Bits(table.States.SelectMany(s => s.Data)), Bits(back.States.SelectMany(s => s.Data)));
    }

    [Fact]
    public void A_trajectory_file_with_a_missing_row_is_refused()
    {
        string path = Files.PathOf(SeedFiles.Trajectories("gen"));
        File.WriteAllText(path, "particle,step,x1\n0,0,1\n0,5,2\n1,0,3\n");

        var e = Assert.Throws<InputException>(() => Files.ReadTrajectories("gen", 1));
        Assert.StartsWith(path + ": expected 2 particles × 2 steps", e.Message);
    }

    [Fact]
    public void The_score_tables_read_back_bit_for_bit()
    {
        Points P(double shift) => new(Awkward.Take(6).Select(v => v + shift).ToArray(), 2);
        var grid = new ScoreGridTable(P(0), P(1), P(2), P(3));
        Files.WriteScoreGrid(grid);
        var back = Files.ReadScoreGrid(2);
        Assert.StartsWith("x1,x2,learned1,learned2,exact_sigma1,exact_sigma2,exact01,exact02\n", File.ReadAllText(Files.PathOf(SeedFiles.ScoreGrid)));
        foreach (var (a, b) in new[] { (grid.Grid, back.Grid), (grid.Learned, back.Learned), (grid.ExactSigma, back.ExactSigma), (grid.Exact0, back.Exact0) })
            Assert.Equal(Bits(a.Data), Bits(b.Data));

        var error = new ScoreErrorTable(Awkward, Awkward.Select(Math.Abs).ToArray());
        Files.WriteScoreError(error);
        var errorBack = Files.ReadScoreError();
        Assert.Equal(Bits(error.Distance), Bits(errorBack.Distance));
        Assert.Equal(Bits(error.Error), Bits(errorBack.Error));
    }

    [Theory]
    [InlineData("step,loss\n1,0.5\n", ":1: header must be step,loss,lr (got step,loss)")]
    [InlineData("step,loss,lr\n1,0.5,0.1\n2,0.4\n", ":3: expected 3 values (got 2)")]
    [InlineData("step,loss,lr\n1,0.5,0.1\n2,abc,0.1\n", ":3: loss is not a number (got \"abc\")")]
    [InlineData("", ":1: empty file")]
    public void A_damaged_table_fails_with_its_file_and_line(string text, string expected)
    {
        string path = Files.PathOf(SeedFiles.Loss);
        File.WriteAllText(path, text);

        var e = Assert.Throws<InputException>(() => Files.ReadLoss());
        Assert.Equal(path + expected, e.Message);
    }

    [Fact]
    public void A_missing_table_fails_with_its_file()
    {
        var e = Assert.Throws<InputException>(() => Files.ReadScoreError());
        Assert.Equal(Files.PathOf(SeedFiles.ScoreError) + ": file not found", e.Message);
    }

    /// <summary>
    /// Every per-seed file of the committed results, read through the store and written again, gives
    /// the same bytes: the store's writers are the ones that made them.
    /// </summary>
    [Fact]
    public void Every_committed_result_file_rewrites_byte_for_byte()
    {
        string reports = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "reports");
        var seeds = Directory.EnumerateFiles(reports, SeedFiles.Run, SearchOption.AllDirectories).Select(Path.GetDirectoryName).ToArray();
        Assert.NotEmpty(seeds);
        int compared = 0;
        foreach (string folder in seeds!)
        {
            var from = new SeedFiles(folder!);
            var to = new SeedFiles(Path.Combine(_dir, Path.GetRelativePath(reports, folder!)));
            Directory.CreateDirectory(to.Folder);
            var run = from.ReadRun()!;
            Assert.Contains(run.Status, new[] { RunStatus.Ok, RunStatus.Diverged });
            to.WriteRun(run);
            if (!run.Finished) continue;
            to.WriteMetrics(from.ReadMetrics());
            if (from.Has(SeedFiles.Loss)) to.WriteLoss(from.ReadLoss());
            int d = from.ReadReferenceP0().Dimension;
            to.WriteReferenceP0(from.ReadReferenceP0(d));
            if (from.Has(SeedFiles.ScoreGrid)) to.WriteScoreGrid(from.ReadScoreGrid(d));
            if (from.Has(SeedFiles.ScoreError)) to.WriteScoreError(from.ReadScoreError());
            foreach (var r in run.Reconstructions)
            {
                to.WriteStart(r.Name, from.ReadStart(r.Name, d));
                to.WriteSamples(r.Name, from.ReadSamples(r.Name, d));
                if (from.ReadMoments(r.Name) is { } m) to.WriteMoments(r.Name, m);
                if (from.ReadTrajectories(r.Name, d) is { } t) to.WriteTrajectories(r.Name, t);
            }
            foreach (string file in Directory.EnumerateFiles(to.Folder))
            {
                string name = Path.GetFileName(file);
                if (name == SeedFiles.Run)
                {
                    // Seconds and the like are doubles too: the whole record must round-trip. Records made
                    // before the local cache carry Training.Reused (weights reused from the results folder,
                    // which no run does any more), dropped when rewritten.
                    string committed = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(from.PathOf(name)), ",\n *\"Reused\": false(?=\n)", "");
                    Assert.Equal(committed, File.ReadAllText(file));
                    continue;
                }
                Assert.True(File.ReadAllBytes(from.PathOf(name)).AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{folder}/{name} differs when rewritten");
                compared++;
            }
        }
        Assert.True(compared > 100, $"only {compared} files compared");
    }
}
