using System.Text.RegularExpressions;
using Repro.Core.Definitions;

namespace Repro.Reporting.Tests;

/// <summary>The report counts its p-value gates instead of assuming a number, and says when a threshold no longer fits.</summary>
public class PValueBudgetTests
{
    static IReadOnlyList<ExperimentDefinition> Shipped() =>
        ExperimentDefinition.LoadAll(Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments"));

    static int Counted(string text) => int.Parse(Regex.Match(text, @"Counted here: (\d+) p-value gate instances").Groups[1].Value);

    [Fact]
    public void The_count_follows_the_definitions_and_an_added_experiment_shows_the_thresholds_set_for_fewer()
    {
        var shipped = Shipped();
        string alone = ReportBuilder.PValueBudget(shipped);
        int expected = shipped.Sum(d => d.Gates.Where(g => g.Metric.EndsWith("-pvalue", StringComparison.Ordinal) && g.Comparator == ">=")
                .Sum(g => g.Over == GateDefinition.EachSeed ? d.Seeds.Count : 1));
        Assert.Equal(expected, Counted(alone));

        // A user copies every experiment: twice the gates, and any threshold above 1% / (2N) is named.
        var doubled = shipped.Concat(shipped.Select(d => d with { Name = d.Name + "-copy" })).ToArray();
        string twice = ReportBuilder.PValueBudget(doubled);
        Assert.Equal(2 * expected, Counted(twice));
        double share = 0.01 / (2 * expected);
        bool anyAbove = doubled.SelectMany(d => d.Gates).Any(g => g.Metric.EndsWith("-pvalue", StringComparison.Ordinal) && g.Comparator == ">=" && g.Threshold > share);
        Assert.Equal(anyAbove, twice.Contains("Set for fewer gates than there now are", StringComparison.Ordinal));
    }
}
