using System.Globalization;
using System.Text.Json.Nodes;
using Repro.Core.Definitions;
using Repro.Runs;

namespace Repro.Reporting.Tests;

/// <summary>
/// P-values across seeds are shown per seed with their minimum and the count below the gate's
/// threshold, a Monte Carlo p-value at its floor as ≤ 1/(B+1); never as mean ± Student-t interval.
/// </summary>
public sealed class PValueSummaryTests : IDisposable
{
    const string OneD = "dsm-1d-two-gaussians";
    readonly string _dir = Directory.CreateTempSubdirectory("repro-pvalues-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Per_seed_values_minimum_and_count_below_the_threshold()
    {
        var s = new PValueSummary([0.119, 0.0128, 1], Resamples: null, Threshold: 0.05);

        Assert.Equal("0.119, 0.0128, 1; min 0.0128; 1 of 3 < 0.05", s.ToString());
        Assert.Equal(0.0128, s.Minimum);
        Assert.Equal(1, s.Below);
    }

    [Fact]
    public void The_registry_says_which_metrics_are_p_values()
    {
        Assert.All(["ks-pvalue", "mmd-pvalue", "sliced-ks-pvalue", "mode-weight-pvalue", "ksd-pvalue"], m => Assert.True(PValueSummary.IsPValue(m), m));
        Assert.All(["ks-statistic", "mmd2", "mode-weight-error", "loss-excess", "no-such-metric"], m => Assert.False(PValueSummary.IsPValue(m), m));
    }

    [Fact]
    public void A_missing_seed_is_shown_and_counts_as_below_the_threshold()
    {
        var s = new PValueSummary([0.5, double.NaN, 0.25], null, 1e-4);

        Assert.Equal("0.5, NaN, 0.25; min 0.25; 1 of 3 < 0.0001", s.ToString());
    }

    [Fact]
    public void A_monte_carlo_p_value_at_its_floor_is_shown_as_at_most_one_over_b_plus_one()
    {
        // (1 + 0)/(1 + 200): no permutation reached the statistic.
        double floor = (1.0 + 0) / (1 + 200);
        var s = new PValueSummary([floor, 0.0348, floor], Resamples: 200, Threshold: null);

        Assert.Equal("≤ 1/201, 0.0348, ≤ 1/201; min ≤ 1/201 (floor 1/(B+1), B = 200)", s.ToString());
        Assert.False(new PValueSummary([2.0 / 201], 200, null).AtFloor(2.0 / 201));
    }

    [Fact]
    public void The_report_shows_p_value_gates_and_tables_per_seed_and_value_gates_as_mean_and_interval()
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var definition = ExperimentDefinition.LoadAll(Path.Combine(root, "experiments")).Single(d => d.Name == OneD);
        string from = Path.Combine(root, "reports", OneD);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)))
        {
            string to = Path.Combine(_dir, OneD, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var options = new RunOptions(_dir, 1, Quick: false, Recompute: false);
        // The committed results may predate a change of the definition's gates: read them as current.
        foreach (long seed in definition.Seeds)
        {
            string run = Path.Combine(options.SeedFolder(OneD, seed), "run.json");
            var node = JsonNode.Parse(File.ReadAllText(run))!;
            node["DefinitionHash"] = definition.Hash;
            File.WriteAllText(run, node.ToJsonString());
        }
        // The per-seed values, read straight from the stored metrics.
        double Value(long seed, string reconstruction, string metric, string reference = "p-sigma") => File.ReadLines(Path.Combine(options.SeedFolder(OneD, seed), "metrics.csv"))
            .Select(l => l.Split(',')).Where(c => c[2] == reconstruction && c[3] == reference && c[4] == metric)
            .Select(c => double.Parse(c[5], CultureInfo.InvariantCulture)).Single();
        string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

        ReportBuilder.Build([definition], options.Layout, root);

        string[] summary = File.ReadAllLines(Path.Combine(_dir, "REPORT.md"));
        string[] Cells(string line) => line.Split(" | ");
        var ksGate = Cells(summary.Single(l => l.Contains("| forward-backward-exact | p-sigma | ks-pvalue |", StringComparison.Ordinal)));
        var values = definition.Seeds.Select(s => Value(s, "forward-backward-exact", "ks-pvalue")).ToArray();
        double threshold = definition.Gates.Single(g => g.Reconstruction == "forward-backward-exact" && g.Metric == "ks-pvalue").Threshold;
        Assert.Equal($"{string.Join(", ", values.Select(G3))}; min {G3(values.Min())}; {values.Count(v => v < threshold)} of 3 < {threshold.ToString("G3", CultureInfo.InvariantCulture)}", ksGate[4]);
        Assert.DoesNotContain("±", ksGate[4] + ksGate[5]);
        var valueGate = Cells(summary.Single(l => l.Contains("| forward-backward | p-sigma | ks-statistic |", StringComparison.Ordinal)));
        Assert.Matches(@"^[0-9.E+-]+ ± [0-9.E+-]+$", valueGate[4]);

        // The page's metric table: the MMD p-value against p₀ sits at its floor 1/(200 + 1) in every seed.
        Assert.All(definition.Seeds, s => Assert.Equal(1.0 / 201, Value(s, "forward-backward", "mmd-pvalue", "p0"), 12));
        string page = File.ReadAllText(Path.Combine(_dir, OneD, "README.md"));
        Assert.Contains("| mmd-pvalue | ≤ 1/201, ≤ 1/201, ≤ 1/201; min ≤ 1/201 (floor 1/(B+1), B = 200) |", page);
        Assert.DoesNotContain(page.Split('\n'), l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("-pvalue |", StringComparison.Ordinal) && l.Contains('±'));
    }
}
