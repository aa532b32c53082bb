namespace Repro.Cli.Tests;

/// <summary>
/// A new user's folder: one experiment with results, one without, a bad draft, a name that is not the
/// file's stem. <c>check</c> and <c>report</c> judge what exists and say what is missing; <c>run</c>
/// takes several seeds and says which ones the report will read.
/// </summary>
public sealed class ResultsSelectionTests : ControlInTempFolder
{
    /// <summary>Adds a copy of the control named <paramref name="name"/> in a file with stem <paramref name="stem"/>.</summary>
    void AddCopy(string stem, string name) =>
        File.WriteAllText(Path.Combine(Experiments, stem + ".json"),
            File.ReadAllText(Path.Combine(Experiments, "ncsn-mode-weights.json")).Replace("\"name\": \"ncsn-mode-weights\"", $"\"name\": \"{name}\""));

    CliRun RunControl(params string[] extra) => CliRun.Of(["run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Out, "--quick", .. extra]);

    [Fact]
    public void Check_and_report_judge_the_experiments_with_results_and_name_the_missing_ones()
    {
        Assert.Equal(ReproApp.Ok, RunControl().ExitCode);
        AddCopy("control-copy", "control-copy");

        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.GateFailed, check.ExitCode);
        Assert.Contains("6/6 judged gates pass; 6 not judged at quick sizes; 3 seed(s) without results, not gated", check.Out);
        Assert.Contains(check.ErrorLines, l => l.StartsWith("missing: control-copy: seeds 1, 2, 3 have no finished results in ", StringComparison.Ordinal)
            && l.EndsWith($"compute: {SuggestedCommand.Program} run control-copy --seed 1,2,3 --out {Out} --quick --experiments {Experiments}", StringComparison.Ordinal));

        var only = CliRun.Of("check", Out, "ncsn-mode-weights", "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.Ok, only.ExitCode);
        Assert.Equal("", only.Error);

        var report = CliRun.Of("report", Out, "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.Ok, report.ExitCode);
        Assert.Contains("ncsn-mode-weights (seeds 1,2,3)", report.Out);
        string page = File.ReadAllText(Path.Combine(Out, "REPORT.md"));
        Assert.Contains("Not reported: seeds without finished, current results", page);
        Assert.Contains("control-copy: seeds 1, 2, 3 have no finished results", page);
    }

    [Fact]
    public void One_bad_draft_is_named_while_list_and_check_show_the_good_ones()
    {
        Assert.Equal(ReproApp.Ok, RunControl("--seed", "1,2", "--seed", "3").ExitCode);
        File.WriteAllText(Path.Combine(Experiments, "draft.json"), "{ \"name\": \"draft\" ");

        var list = CliRun.Of("list", Experiments);
        Assert.Equal(ReproApp.BadInput, list.ExitCode);
        Assert.StartsWith("ncsn-mode-weights  [", list.Out);
        Assert.Contains("draft.json", Assert.Single(list.ErrorLines));

        var check = CliRun.Of("check", Out, "--experiments", Experiments, "--quick");
        Assert.Equal(ReproApp.BadInput, check.ExitCode);
        Assert.Contains("6/6 judged gates pass", check.Out);
        Assert.Contains("draft.json", Assert.Single(check.ErrorLines));
    }

    [Fact]
    public void Run_takes_several_seeds_and_notes_one_the_report_will_not_read()
    {
        var run = RunControl("--seed", "1,2", "--seed", "9");
        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Equal(["ncsn-mode-weights seed 1", "ncsn-mode-weights seed 2", "ncsn-mode-weights seed 9"],
            run.Out.Split('\n').Where(l => l.Contains(" reconstructions, ")).Select(l => l.Split(':')[0]).Order(StringComparer.Ordinal)); // in the order they finish
        Assert.Contains("note: ncsn-mode-weights: seed 9 is not in the definition's \"seeds\" [1, 2, 3]", run.Error);

        var bad = RunControl("--seed", "1,x");
        Assert.Equal(ReproApp.BadInput, bad.ExitCode);
        Assert.Contains("--seed: must be whole numbers", bad.Error);
    }

    [Fact]
    public void An_experiment_is_found_by_its_name_and_a_near_miss_is_suggested()
    {
        AddCopy("dsm-2d-three-blobs", "dsm-2d-3blobs");

        var byName = CliRun.Of("truth", "dsm-2d-3blobs", "--experiments", Experiments, "--floor", "--samples", "2000", "--sigma", "1");
        Assert.Equal(ReproApp.Ok, byName.ExitCode);

        var typo = CliRun.Of("truth", "ncsn-mode-weight", "--experiments", Experiments, "--floor");
        Assert.Equal(ReproApp.BadInput, typo.ExitCode);
        Assert.Contains("no such experiment", typo.Error);
        Assert.Contains("(did you mean \"ncsn-mode-weights\"?)", typo.Error);
    }

    [Fact]
    public void A_quick_report_never_replaces_a_full_one()
    {
        Directory.CreateDirectory(Path.Combine(Out, "ncsn-mode-weights", "seed-1"));
        File.WriteAllText(Path.Combine(Out, "REPORT.md"), "the published report");

        var report = CliRun.Of("report", Out, "--experiments", Experiments, "--quick");

        Assert.Equal(ReproApp.BadInput, report.ExitCode);
        Assert.Contains("holds full results", report.Error);
        Assert.Equal("the published report", File.ReadAllText(Path.Combine(Out, "REPORT.md")));
    }

    [Fact]
    public void A_lone_experiment_name_in_the_folder_s_place_is_taken_as_a_name_even_when_it_is_not_the_file_stem()
    {
        // What the README's "Adding an experiment" says to type: `repro check --quick NAME`, NAME the definition's "name".
        AddCopy("three-blobs-file", "three-blobs");
        var byName = new Commands.CheckCommand.Settings { DirectoryArgument = "three-blobs", ExperimentsDirectory = Experiments, Quick = true };
        Assert.Equal(Commands.ResultsSettings.QuickFolder, byName.Directory);
        Assert.Equal(["three-blobs"], byName.Requested);
        var byStem = new Commands.CheckCommand.Settings { DirectoryArgument = "three-blobs-file", ExperimentsDirectory = Experiments };
        Assert.Equal(Commands.ResultsSettings.FullFolder, byStem.Directory);
        // A folder that exists is a folder, and an unknown word stays a folder (its error then names it as one).
        var folder = new Commands.CheckCommand.Settings { DirectoryArgument = Out, ExperimentsDirectory = Experiments };
        Assert.Equal(Out, folder.Directory);
        var unknown = new Commands.CheckCommand.Settings { DirectoryArgument = "no-such-thing", ExperimentsDirectory = Experiments };
        Assert.Equal("no-such-thing", unknown.Directory);
        Assert.Empty(unknown.Requested);
    }
}
