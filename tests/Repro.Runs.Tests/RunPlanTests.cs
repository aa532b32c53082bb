using Repro.Core;
using Repro.Core.Definitions;
using Repro.Runs.Plan;

namespace Repro.Runs.Tests;

/// <summary>The plan of units and its shards: disjoint, complete, in run order, with stable identities.</summary>
public sealed class RunPlanTests
{
    static readonly IReadOnlyList<ExperimentDefinition> Shipped =
        ExperimentDefinition.LoadAll(Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments"));

    [Fact]
    public void The_plan_lists_each_definition_then_its_sweep_variants_seed_by_seed()
    {
        var plan = RunPlan.Of(Shipped, null, sweep: true, quick: false);
        var expected = Shipped.SelectMany(d => d.Variants().Select(v => v.Definition).Prepend(d))
            .SelectMany(d => d.Seeds.Select(s => (d.Name, s))).ToArray();
        Assert.Equal(expected, plan.Units.Select(u => (u.Experiment, u.Seed)).ToArray());
        Assert.Equal(plan.Units.Count, plan.Units.Select(u => u.Id).Distinct().Count());
        Assert.True(RunPlan.Of(Shipped, null, sweep: false, quick: false).Units.Count < plan.Units.Count);
        Assert.Equal(["dsm-1d-two-gaussians/seed-1"], RunPlan.Of(Shipped.Take(1), [1], sweep: true, quick: false).Units.Select(u => u.Folder));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(100)]
    public void Shards_are_disjoint_in_run_order_and_together_exactly_the_plan(int n)
    {
        var plan = RunPlan.Of(Shipped, null, sweep: true, quick: true);
        var shards = Enumerable.Range(1, n).Select(i => plan.Shard(new ShardSpec(i, n))).ToArray();
        var all = shards.SelectMany(s => s.Select(u => u.Id)).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(plan.Units.Select(u => u.Id).Order(), all.Order());
        foreach (var shard in shards)
        {
            var positions = shard.Select(u => plan.Units.ToList().IndexOf(u)).ToArray();
            Assert.Equal(positions.Order(), positions);
            Assert.InRange(shard.Count, plan.Units.Count / n, (plan.Units.Count + n - 1) / n);
        }
    }

    [Fact]
    public void A_unit_identity_is_its_experiment_seed_definition_and_quick_flag()
    {
        var d = Shipped[0];
        var unit = new RunUnit(d, 1, false);
        Assert.Equal(unit.Id, new RunUnit(d with { Description = "edited prose" }, 1, false).Id);
        Assert.NotEqual(unit.Id, new RunUnit(d, 2, false).Id);
        Assert.NotEqual(unit.Id, new RunUnit(d, 1, true).Id);
        Assert.NotEqual(unit.Id, new RunUnit(d with { Hash = new string('0', 64) }, 1, false).Id);
        Assert.Equal(64, unit.Id.Length);
        Assert.Equal(unit.Id[..16], unit.ShortId);
        Assert.NotEqual(RunPlan.Of(Shipped, null, true, false).Id, RunPlan.Of(Shipped, [1], true, false).Id);
    }

    [Theory]
    [InlineData("0/3", "--shard: i must be between 1 and N = 3 (got \"0/3\"; shards are numbered from 1, like Slurm's --array=1-3)")]
    [InlineData("4/3", "--shard: i must be between 1 and N = 3 (got \"4/3\"; shards are numbered from 1, like Slurm's --array=1-3)")]
    [InlineData("1/0", "--shard: N must be ≥ 1 (got \"1/0\")")]
    [InlineData("2", "--shard: must be i/N, two whole numbers with 1 ≤ i ≤ N, e.g. 1/4 (got \"2\")")]
    [InlineData("-1/2", "--shard: must be i/N, two whole numbers with 1 ≤ i ≤ N, e.g. 1/4 (got \"-1/2\")")]
    public void A_bad_shard_is_one_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InputException>(() => ShardSpec.Parse(text)).Message);
}
