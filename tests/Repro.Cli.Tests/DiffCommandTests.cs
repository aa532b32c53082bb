using System.Text.Json.Nodes;

namespace Repro.Cli.Tests;

/// <summary><c>repro diff</c>: exit codes, output forms and git revisions as the baseline.</summary>
public sealed class DiffCommandTests : IDisposable
{
    const string Experiment = "ncsn-mode-weights";
    readonly string _dir = Directory.CreateTempSubdirectory("repro-diff-cli-").FullName;
    readonly string _base, _new;

    public DiffCommandTests()
    {
        _base = Path.Combine(_dir, "base");
        _new = Path.Combine(_dir, "new");
        string from = Path.Combine(RepoPaths.Root, "reports", Experiment);
        foreach (string side in new[] { _base, _new })
            foreach (string file in Directory.GetFiles(from, "*.*", SearchOption.AllDirectories).Where(f => f.Contains("seed-", StringComparison.Ordinal)))
            {
                string to = Path.Combine(side, Experiment, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    void PlantSample(double delta)
    {
        string path = Path.Combine(_new, Experiment, "seed-2", "samples-annealed-langevin.csv");
        var lines = File.ReadAllLines(path);
        var cells = lines[1].Split(',');
        cells[0] = (double.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture) + delta).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        lines[1] = string.Join(",", cells);
        File.WriteAllLines(path, lines);
    }

    [Fact]
    public void Identical_folders_exit_0_saying_bit_identical()
    {
        var run = CliRun.Of("diff", _base, _new);

        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.StartsWith($"bit-identical to {_base}: 3 seeds, ", run.Out);
        Assert.Contains("gate verdicts not compared: no results.json", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void A_planted_difference_exits_1_in_every_form_and_a_tolerance_admits_it()
    {
        PlantSample(1e-3);

        var text = CliRun.Of("diff", _base, _new);
        Assert.Equal(ReproApp.GateFailed, text.ExitCode);
        Assert.StartsWith($"differs from {_base} beyond bit-identity: 1 of ", text.Out);
        Assert.Contains($"{Experiment}/seed-2/samples-annealed-langevin.csv: 1 of ", text.Out);
        Assert.Contains("at row 1, x1", text.Out);

        var json = CliRun.Of("diff", _base, _new, "--json");
        Assert.Equal(ReproApp.GateFailed, json.ExitCode);
        var doc = JsonNode.Parse(json.Out)!;
        Assert.False(doc["identical"]!.GetValue<bool>());
        Assert.Equal($"{Experiment}/seed-2/samples-annealed-langevin.csv", doc["fileChanges"]![0]!["path"]!.GetValue<string>());

        var md = CliRun.Of("diff", _base, _new, "--md");
        Assert.Equal(ReproApp.GateFailed, md.ExitCode);
        Assert.Contains($"| `{Experiment}/seed-2/samples-annealed-langevin.csv` | 1 of ", md.Out);

        var tolerant = CliRun.Of("diff", _base, _new, "--atol", "0.002");
        Assert.Equal(ReproApp.Ok, tolerant.ExitCode);
        Assert.StartsWith($"identical to {_base} within rtol 0, atol 0.002: ", tolerant.Out);

        // Judged by the metrics' null spreads, a moved sample is not a difference by itself (its metrics are
        // unchanged), and every metric's tolerance is stated.
        var spread = CliRun.Of("diff", _base, _new, "--null-spread");
        Assert.Equal(ReproApp.Ok, spread.ExitCode);
        Assert.StartsWith($"identical to {_base} within the null-spread tolerances: ", spread.Out);
        Assert.Contains("  ks-pvalue: verdict at α = 0.01\n", spread.Out);
        Assert.Contains("  sigma: bit-identity (a setting)", spread.Out);
        var spreadJson = JsonNode.Parse(CliRun.Of("diff", _base, _new, "--null-spread", "--json").Out)!;
        Assert.True(spreadJson["tolerance"]!["nullSpread"]!.GetValue<bool>());
        Assert.Contains(spreadJson["tolerances"]!.AsArray(), t => t!["metric"]!.GetValue<string>() == "ks-statistic" && t["rule"]!.GetValue<string>() == "3 × null spread");
    }

    [Fact]
    public void A_missing_seed_exits_1_naming_it()
    {
        Directory.Delete(Path.Combine(_new, Experiment, "seed-1"), recursive: true);

        var run = CliRun.Of("diff", _base, _new);
        Assert.Equal(ReproApp.GateFailed, run.ExitCode);
        Assert.Contains($"seeds only in {_base} (1):\n  {Experiment}/seed-1\n", run.Out);
    }

    [Fact]
    public void A_git_revision_is_read_as_its_committed_results_and_the_copy_removed()
    {
        var run = CliRun.Of("diff", $"HEAD:reports/{Experiment}", $"HEAD:reports/{Experiment}");
        Assert.Equal(ReproApp.Ok, run.ExitCode);
        Assert.Matches($@"^bit-identical to HEAD:reports/{Experiment} \([0-9a-f]{{7}}\): 3 seeds, ", run.Out);

        string folder;
        using (var committed = CommittedResults.Resolve($"HEAD:reports/{Experiment}", RepoPaths.Root))
        {
            folder = committed.Folder;
            Assert.True(File.Exists(Path.Combine(folder, "seed-1", "metrics.csv")));
            Assert.Matches("^[0-9a-f]{40}$", committed.Commit);
        }
        Assert.False(Directory.Exists(folder), "the extracted copy must be removed");
    }

    [Theory]
    [InlineData("no-such-revision-or-folder", "no-such-revision-or-folder: no such results folder, nor a git revision of ")]
    [InlineData("HEAD:no-such-folder", "HEAD:no-such-folder: HEAD (")]
    public void Bad_input_exits_2_with_one_line(string baseline, string message)
    {
        var run = CliRun.Of("diff", baseline, _new);

        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.StartsWith("error: " + message, Assert.Single(run.ErrorLines));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void A_corrupt_file_exits_2_naming_it()
    {
        string path = Path.Combine(_new, Experiment, "seed-3", "metrics.csv");
        File.AppendAllText(path, "ncsn-mode-weights,3,plain-langevin,p0,ks-statistic,not-a-number\n");

        var run = CliRun.Of("diff", _base, _new);
        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Matches($@"^error: {System.Text.RegularExpressions.Regex.Escape(path)}:\d+: value is not a number", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("--rtol", "-1", "--rtol: must be a finite number ≥ 0")]
    [InlineData("--atol", "NaN", "--atol: must be a finite number ≥ 0")]
    [InlineData("--null-spread", "--rtol=0.1", "--null-spread and --rtol/--atol: choose one tolerance")]
    public void A_negative_or_undefined_tolerance_is_refused(string option, string value, string message)
    {
        var run = CliRun.Of("diff", _base, _new, option, value);
        Assert.Equal(ReproApp.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
    }
}
