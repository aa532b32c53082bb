namespace Repro.Cli.Tests;

public sealed class CliTests
{
    // Every definition in experiments/, whatever their number (a user adds experiments there), by file name.
    // In the order the loader reads them: by file name, ordinal ("dsm-2d-two-blobs-diffusion.json" before
    // "dsm-2d-two-blobs.json", '-' < '.'), not by stem.
    static readonly string[] ExperimentNames = Directory.GetFiles(RepoPaths.Experiments, "*.json").Order(StringComparer.Ordinal)
        .Select(f => Path.GetFileNameWithoutExtension(f)!).Where(n => n != "schema").ToArray();

    public static TheoryData<string> Malformed() => new(Directory.GetFiles(RepoPaths.MalformedCorpus, "*.json")
        .Select(f => Path.GetFileNameWithoutExtension(f))
        .Order(StringComparer.Ordinal));

    [Fact]
    public void List_shows_every_experiment_of_the_folder()
    {
        var run = CliRun.Of("list", RepoPaths.Experiments);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Equal("", run.Error);
        var names = run.Out.Split('\n').Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).Select(l => l.Split("  ")[0]);
        Assert.Equal(ExperimentNames, names);
    }

    [Fact]
    public void Validate_accepts_the_experiments_folder()
    {
        var run = CliRun.Of("validate", RepoPaths.Experiments);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Equal("", run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ExperimentNames.Length, lines.Length);
        for (int i = 0; i < lines.Length; i++)
            Assert.StartsWith($"ok  {Path.Combine(RepoPaths.Experiments, ExperimentNames[i] + ".json")}  ({ExperimentNames[i]}, sha256 ", lines[i]);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Validate_on_a_malformed_file_exits_2_with_one_error_line(string name)
    {
        string path = Path.Combine(RepoPaths.MalformedCorpus, name + ".json");
        string expected = File.ReadAllText(Path.Combine(RepoPaths.MalformedCorpus, name + ".expected")).TrimEnd('\r', '\n');

        var run = CliRun.Of("validate", path);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(["error: " + expected.Replace($"malformed/{name}.json", path)], run.ErrorLines);
    }

    [Fact]
    public void Validate_on_a_missing_file_exits_2_with_one_error_line()
    {
        string path = Path.Combine(RepoPaths.Experiments, "no-such-experiment.json");

        var run = CliRun.Of("validate", path);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal([$"error: {path}: no such file or directory"], run.ErrorLines);
    }

    [Fact]
    public void Validate_takes_an_experiment_name_as_the_other_commands_do_and_suggests_a_near_miss()
    {
        var run = CliRun.Of("validate", "dsm-2d-two-blobs", "--experiments", RepoPaths.Experiments);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.StartsWith($"ok  {Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json")}  (dsm-2d-two-blobs, sha256 ", run.Out);

        var typo = CliRun.Of("validate", "dsm-2d-two-blob", "--experiments", RepoPaths.Experiments);
        Assert.Equal(ReproApp.BadInput, typo.ExitCode);
        Assert.Equal([$"error: dsm-2d-two-blob: no such experiment in {RepoPaths.Experiments} (did you mean \"dsm-2d-two-blobs\"?)"], typo.ErrorLines);
    }

    [Fact]
    public void Validate_stops_at_the_first_bad_folder_after_reporting_the_good_ones()
    {
        var run = CliRun.Of("validate", RepoPaths.Experiments, Path.Combine(RepoPaths.MalformedCorpus, "sigma-zero.json"));

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal(ExperimentNames.Length, run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Single(run.ErrorLines);
    }

    [Fact]
    public void Two_files_defining_the_same_experiment_exit_2_and_write_nothing_else()
    {
        string folder = Directory.CreateTempSubdirectory("repro-cli-").FullName;
        try
        {
            string first = Path.Combine(folder, "a.json");
            string second = Path.Combine(folder, "b.json");
            File.Copy(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"), first);
            File.Copy(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"), second);

            var run = CliRun.Of("validate", folder);

            Assert.Equal(ReproApp.BadInput, run.ExitCode);
            Assert.Equal("", run.Out);
            Assert.Equal([$"error: {second}:3:11: $.name: experiment \"ncsn-mode-weights\" is also defined in {first}"], run.ErrorLines);
            Assert.Equal([first, second], Directory.GetFileSystemEntries(folder).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_command_exits_2_with_one_error_line()
    {
        var run = CliRun.Of("frobnicate");

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains("frobnicate", line);
    }

    [Fact]
    public void An_unknown_option_exits_2_with_one_error_line()
    {
        var run = CliRun.Of("validate", "--frobnicate", RepoPaths.Experiments);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains("frobnicate", line);
    }
}
