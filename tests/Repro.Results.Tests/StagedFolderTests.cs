namespace Repro.Results.Tests;

public sealed class StagedFolderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-staged-").FullName;
    readonly string _reports;

    public StagedFolderTests()
    {
        _reports = Path.Combine(_dir, "reports");
        Directory.CreateDirectory(Path.Combine(_reports, "exp", "seed-1"));
        File.WriteAllText(Path.Combine(_reports, "REPORT.md"), "old report\n");
        File.WriteAllText(Path.Combine(_reports, "exp", "seed-1", "metrics.csv"), "old metrics\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Read(string path) => File.ReadAllText(path);

    [Fact]
    public void Work_in_the_staging_copy_does_not_touch_the_folder_until_commit()
    {
        string staging = StagedFolder.Begin(_reports);

        Assert.Equal("old metrics\n", Read(Path.Combine(staging, "exp", "seed-1", "metrics.csv")));
        File.WriteAllText(Path.Combine(staging, "REPORT.md"), "new report\n");
        File.WriteAllText(Path.Combine(staging, "exp", "seed-1", "metrics.csv"), "new metrics\n");
        Assert.Equal("old report\n", Read(Path.Combine(_reports, "REPORT.md")));

        StagedFolder.Commit(_reports);

        Assert.Equal("new report\n", Read(Path.Combine(_reports, "REPORT.md")));
        Assert.Equal("new metrics\n", Read(Path.Combine(_reports, "exp", "seed-1", "metrics.csv")));
        Assert.Equal(["reports"], Directory.GetDirectories(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void An_abandoned_or_interrupted_staging_leaves_the_folder_whole()
    {
        string staging = StagedFolder.Begin(_reports);
        File.WriteAllText(Path.Combine(staging, "REPORT.md"), "half written\n");
        StagedFolder.Abandon(_reports);
        Assert.Equal("old report\n", Read(Path.Combine(_reports, "REPORT.md")));
        Assert.False(Directory.Exists(staging));

        // A process killed mid-run leaves its staging copy behind: the next run starts afresh from the folder.
        staging = StagedFolder.Begin(_reports);
        File.WriteAllText(Path.Combine(staging, "REPORT.md"), "killed\n");
        staging = StagedFolder.Begin(_reports);
        Assert.Equal("old report\n", Read(Path.Combine(staging, "REPORT.md")));
    }

    [Fact]
    public void A_swap_cut_between_its_two_renames_is_undone_by_the_next_begin()
    {
        Directory.Move(_reports, StagedFolder.PreviousOf(_reports));
        Directory.CreateDirectory(StagedFolder.StagingOf(_reports));

        string staging = StagedFolder.Begin(_reports);

        Assert.Equal("old report\n", Read(Path.Combine(_reports, "REPORT.md")));
        Assert.Equal("old report\n", Read(Path.Combine(staging, "REPORT.md")));
        Assert.False(Directory.Exists(StagedFolder.PreviousOf(_reports)));
    }

    [Fact]
    public void A_first_run_stages_an_empty_folder()
    {
        string fresh = Path.Combine(_dir, "fresh");
        string staging = StagedFolder.Begin(fresh);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        File.WriteAllText(Path.Combine(staging, "REPORT.md"), "first\n");

        StagedFolder.Commit(fresh);

        Assert.Equal("first\n", Read(Path.Combine(fresh, "REPORT.md")));
    }
}
