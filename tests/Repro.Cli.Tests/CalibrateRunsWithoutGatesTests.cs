namespace Repro.Cli.Tests;

/// <summary>
/// <c>calibrate --runs</c> on an experiment without gates (egnn-ubiquitin-2k39 reports rows only): there is no false-alarm
/// rate to measure and nothing to catch a broken run, so it is skipped in one line before any training, and the command
/// succeeds (a run that trained it would report its broken variants as NOT CAUGHT and exit 1).
/// </summary>
public sealed class CalibrateRunsWithoutGatesTests
{
    [Fact]
    public void An_experiment_without_gates_is_skipped_saying_why()
    {
        string output = Path.Combine(Path.GetTempPath(), "repro-calibrate-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("calibrate", "egnn-ubiquitin-2k39", "--runs", "--seeds", "1", "--broken-seeds", "1",
                "--experiments", RepoPaths.Experiments, "--out", output);

            Assert.Equal(ReproApp.Ok, run.ExitCode);
            Assert.Equal("egnn-ubiquitin-2k39: no gates, nothing to calibrate; skipped", run.Out.Trim());
            Assert.False(Directory.Exists(Path.Combine(output, "egnn-ubiquitin-2k39")));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
