using System.Globalization;
using System.Text.Json.Nodes;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Reporting.Model;
using Repro.Results;

namespace Repro.Reporting.Tests;

/// <summary>
/// The page's likelihood table on planted <c>ode-likelihood</c> rows (the committed dsm-2d-two-blobs-diffusion seeds with
/// rows of known values appended): every cell is the mean ± interval over seeds of what was written, the "closes" column
/// counts the seeds that meet the stated rule, and the sentence follows the data, so a swapped column, a wrong count or
/// a fixed verdict fails.
/// </summary>
public sealed class LikelihoodSectionTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-likelihood-page-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Per seed (1, 2, 3): the solver term and the total's SE of each cell; the other terms follow from them.</summary>
    sealed record Plant(Func<string, string, long, (double Solver, double TotalSe)> Cell);

    ExperimentResults Load(Plant plant)
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var d = ExperimentDefinition.Load(Path.Combine(root, "experiments", "dsm-2d-two-blobs-diffusion.json"));
        var layout = new ResultsLayout(_dir, Quick: false);
        string from = Path.Combine(root, "reports", d.Name);
        foreach (long seed in d.Seeds)
        {
            string source = Path.Combine(from, $"seed-{seed}"), target = layout.SeedFolder(d.Name, seed);
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source).Where(f => !f.EndsWith("weights.bin", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            string run = Path.Combine(target, "run.json");
            var node = JsonNode.Parse(File.ReadAllText(run))!;
            node["DefinitionHash"] = d.Hash;
            File.WriteAllText(run, node.ToJsonString());
            // Drop rows of an earlier plant (or of a committed run that has the metric), then plant this one's.
            string metrics = Path.Combine(target, "metrics.csv");
            var lines = File.ReadAllLines(metrics).Where(l => !l.Contains($",{OdeLikelihoodMetric.KindName}-", StringComparison.Ordinal)).ToList();
            string Row(string metric, double value) => $"{d.Name},{seed},training,p0,{metric},{value.ToString("R", CultureInfo.InvariantCulture)}";
            foreach (string score in OdeLikelihoodMetric.Scores)
                foreach (string divergence in OdeLikelihoodMetric.Divergences)
                {
                    var (solver, se) = plant.Cell(score, divergence, seed);
                    double floor = 1e-5 * seed, prior = -0.01 + 1e-3 * seed;
                    var terms = new Dictionary<string, double> { ["total"] = floor + prior + solver, ["time-floor"] = floor, ["prior"] = prior, ["solver"] = solver };
                    foreach (string term in OdeLikelihoodMetric.Terms)
                    {
                        lines.Add(Row(OdeLikelihoodMetric.TermName(score, divergence, term), terms[term]));
                        lines.Add(Row(OdeLikelihoodMetric.TermSeName(score, divergence, term), term == "total" ? se : se / 2));
                    }
                    lines.Add(Row(OdeLikelihoodMetric.NllName(score, divergence), 2.5 - terms["total"] / 2));
                }
            lines.Add(Row(OdeLikelihoodMetric.NllP0.Name, 2.5));
            foreach (string score in OdeLikelihoodMetric.Scores) lines.Add(Row(OdeLikelihoodMetric.RoundTripName(score), 1e-4 * seed));
            lines.Add(Row(OdeLikelihoodMetric.PointCount.Name, 500));
            lines.Add(Row(OdeLikelihoodMetric.Intervals.Name, 320));
            File.WriteAllLines(metrics, lines);
        }
        return ExperimentResults.Load(d, layout);
    }

    static Model.Table TableOf(IReadOnlyList<Block> blocks) => Assert.Single(blocks.OfType<Model.Table>());

    static string Verdict(IReadOnlyList<Block> blocks) =>
        blocks.OfType<Paragraph>().Single(p => p.Text.StartsWith("The decomposition", StringComparison.Ordinal)).Text;

    [Fact]
    public void Each_cell_is_the_mean_over_seeds_of_its_term_and_the_closing_column_counts_the_seeds_within_two_standard_errors()
    {
        // Exact score: solver 0.1–0.3 SE (closes); learned: 16–24 SE (the network's share, does not close).
        var plant = new Plant((score, divergence, seed) => score == "exact" ? (1e-4 * seed, 1e-3) : (0.02 * (seed + 3), 0.005));
        var blocks = LikelihoodSection.Build(Load(plant));
        var table = TableOf(blocks);

        Assert.Equal(4, table.Rows.Count);
        int solverColumn = table.Header.ToList().IndexOf("solver/estimator"), totalColumn = table.Header.ToList().IndexOf("total L̂ − log p₀");
        int closesColumn = table.Header.Count - 1;
        foreach (var row in table.Rows)
        {
            string score = row[0], divergence = row[1];
            var solver = new[] { 1L, 2, 3 }.Select(s => plant.Cell(score, divergence, s).Solver).ToArray();
            Assert.Equal(Estimate.Of(solver).Format("G3"), row[solverColumn]);
            var total = new[] { 1L, 2, 3 }.Select(s => 1e-5 * s - 0.01 + 1e-3 * s + plant.Cell(score, divergence, s).Solver).ToArray();
            Assert.Equal(Estimate.Of(total).Format("G3"), row[totalColumn]);
            Assert.Equal(score == "exact" ? "3 of 3" : "0 of 3", row[closesColumn]);
        }
        string verdict = Verdict(blocks);
        Assert.StartsWith("The decomposition closes:", verdict);
        Assert.Contains("in all 3 seeds with the exact divergence and in all 3 seeds with Hutchinson's estimator", verdict);
        Assert.Contains("beyond 2 standard errors of the total in 3 of 3 seeds: that is what the network adds", verdict);
        Assert.Contains(Estimate.Of([0.08, 0.1, 0.12]).Format("G3"), verdict);
        Assert.Contains("(500 per seed", blocks.OfType<Paragraph>().First().Text);
        Assert.Contains("with 320 steps where the sampler takes 40", blocks.OfType<Paragraph>().First().Text);
    }

    [Fact]
    public void One_seed_whose_exact_score_solver_term_leaves_two_standard_errors_turns_the_verdict()
    {
        // Seed 2's exact-divergence run of the exact score 2.5 SE off; everything else within.
        var plant = new Plant((score, divergence, seed) =>
            score == "exact" && divergence == "exact" && seed == 2 ? (2.5e-3, 1e-3) : (1e-4, 1e-3));
        var blocks = LikelihoodSection.Build(Load(plant));
        var rows = TableOf(blocks).Rows.ToDictionary(r => (r[0], r[1]), r => r[^1]);

        Assert.Equal("2 of 3", rows[("exact", "exact")]);
        Assert.Equal("3 of 3", rows[("exact", "hutchinson")]);
        Assert.Equal("3 of 3", rows[("learned", "exact")]);
        string verdict = Verdict(blocks);
        Assert.StartsWith("The decomposition does not close:", verdict);
        Assert.Contains("in 2 of 3 seeds with the exact divergence", verdict);
        Assert.Contains("the network adds nothing this Monte Carlo error resolves", verdict);
    }

    [Fact]
    public void Results_without_the_metric_get_no_section()
    {
        string root = Repro.Tests.Shared.RepoRoot.Path;
        var d = ExperimentDefinition.Load(Path.Combine(root, "experiments", "dsm-2d-two-blobs.json"));
        var results = ExperimentResults.Load(d, new ResultsLayout(Path.Combine(root, "reports"), Quick: false));
        Assert.Empty(LikelihoodSection.Build(results));
    }
}
