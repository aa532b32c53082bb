using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Core.Metrics;

namespace Repro.Core.Tests.Evaluation;

/// <summary>
/// Quick results are judged only by size-free gates: a p-value's null law is U(0, 1) at any n, while a
/// distance's null quantile widens as n shrinks, so a threshold calibrated at the full sizes would fail a
/// correct quick run (a quick KS distance of a correct learned score measured 0.080 against the full-size 0.07).
/// </summary>
public sealed class QuickGateTests
{
    static readonly ExperimentDefinition TwoBlobs = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-2d-two-blobs.json"));

    /// <summary>One row per gate of seed 1, every value missing its threshold by a mile.</summary>
    static List<MetricRow> Missing(ExperimentDefinition d) => d.Gates.Select(g => new MetricRow(d.Name, 1, g.Reconstruction, g.Reference, g.Metric,
        g.Comparator == ">=" ? g.Threshold / 100 : g.Threshold * 100 + 1)).ToList();

    [Fact]
    public void A_quick_run_judges_p_value_and_mh_rejection_gates_and_shows_the_others()
    {
        var quick = GateEvaluator.Evaluate(TwoBlobs, [1], Missing(TwoBlobs), quick: true);

        var judged = quick.Where(v => v.Judged).Select(v => v.Gate.Metric).Order().ToArray();
        Assert.Equal(["ks-pvalue", "mh-rejection", "mode-weight-pvalue"], judged);
        Assert.All(quick.Where(v => v.Judged), v => Assert.True(v.Failed));
        Assert.All(quick.Where(v => !v.Judged), v =>
        {
            Assert.False(v.Failed);
            Assert.False(v.Passed); // the comparison is still shown
            Assert.Equal("not judged", v.VerdictText);
            Assert.Contains("calibrated at the full sizes", v.Message);
        });
        Assert.Equal(5, quick.Count(v => !v.Judged));
    }

    [Fact]
    public void A_full_run_judges_every_gate()
    {
        var full = GateEvaluator.Evaluate(TwoBlobs, [1], Missing(TwoBlobs), quick: false);

        Assert.All(full, v => Assert.True(v.Judged && v.Failed));
    }

    [Fact]
    public void A_missing_quick_result_fails_whatever_the_gate()
    {
        var rows = Missing(TwoBlobs).Where(r => r.Metric != "ks-statistic").ToList();

        var ks = Assert.Single(GateEvaluator.Evaluate(TwoBlobs, [1], rows, quick: true), v => v.Gate.Metric == "ks-statistic");

        Assert.True(ks.Missing && ks.Judged && ks.Failed);
    }

    [Fact]
    public void Every_p_value_output_is_size_free_and_every_distance_with_a_null_level_is_not()
    {
        var outputs = MetricCatalog.Default.Metrics.SelectMany(m => m.Outputs).ToArray();
        Assert.All(outputs.Where(o => o.IsPValue), o => Assert.True(o.SizeFree, o.Name));
        // A distance or ratio converging to a null level has a null spread that depends on n.
        Assert.All(outputs.Where(o => o.NullLevel is not null), o => Assert.False(o.SizeFree, o.Name));
        Assert.Contains("mh-rejection", GateEvaluator.QuickRule);
    }
}
