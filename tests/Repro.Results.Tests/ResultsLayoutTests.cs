namespace Repro.Results.Tests;

public sealed class ResultsLayoutTests
{
    [Fact]
    public void Full_quick_and_prefixed_runs_live_in_separate_folders()
    {
        Assert.Equal(Path.Combine("r", "e", "seed-7"), new ResultsLayout("r", Quick: false).SeedFolder("e", 7));
        Assert.Equal(Path.Combine("r", "e", "quick-seed-7"), new ResultsLayout("r", Quick: true).SeedFolder("e", 7));
        Assert.Equal(Path.Combine("r", "e/sweep/sigma-0.5", "fault-untrained-seed-7"), new ResultsLayout("r", Quick: false).SeedFolder("e/sweep/sigma-0.5", 7, "fault-untrained-"));
    }
}
