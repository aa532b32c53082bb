using Repro.Core.Definitions;
using Repro.Core.Evaluation;
using Repro.Results;

namespace Repro.Runs.Tests;

/// <summary>
/// Divergence cannot be hidden: the two blown-up Langevin runs of issue 11 (item 6) end
/// "diverged in sampling" with no metrics, so every gate on them fails as missing.
/// </summary>
public sealed class DivergenceTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-diverge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// N(0, 0.01) with its exact score, start N(0, 1), unadjusted Langevin at η = 0.1 for 1000 steps:
    /// each step multiplies x by 1 − η/(2v) = −4, so the chain leaves any bound within a few dozen
    /// steps and would overflow by step ≈ 512 (once it froze near ±1e153, was recorded as finished with KSD² = 0).
    /// </summary>
    internal const string NarrowGaussian = """
        {
          "name": "narrow-gaussian-step-too-large",
          "description": "Issue 11 item 6: a Langevin step 40 times the target's variance.",
          "reproduces": "Nothing: a divergence test",
          "seeds": [1],
          "data": { "n": 100, "components": [ { "kind": "gaussian", "weight": 1, "mean": [0], "covariance": [[0.01]] } ] },
          "model": { "kind": "exact" },
          "reconstructions": [
            {
              "name": "langevin-exact",
              "score": { "kind": "exact", "sigma": 0 },
              "start": { "kind": "gaussian", "std": 1 },
              "sampler": { "kind": "langevin", "stepSize": 0.1, "steps": 1000 },
              "particles": 200
            }
          ],
          "evaluation": { "referenceSize": 200, "permutations": 20, "projections": 8, "bootstrap": 20 },
          "gates": [
            { "metric": "ksd-pvalue", "reconstruction": "langevin-exact", "reference": "p0", "comparator": ">=", "threshold": 2.5e-4, "over": "each-seed", "reason": "the KSD gate that once passed this run" }
          ],
          "quick": { "trainingSteps": 1, "particles": 100, "referenceSize": 100, "permutations": 20 }
        }
        """;

    static ExperimentDefinition Parse(string json) => ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test.json");

    [Fact]
    public void A_langevin_chain_that_blows_up_on_a_narrow_gaussian_ends_diverged_in_sampling()
    {
        var definition = Parse(NarrowGaussian);

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Recompute: false)).Run(definition, 1);

        Assert.Equal(RunStatus.Diverged, record.Status);
        Assert.Equal("sampling langevin-exact", record.DivergedIn);
        // |x| grows 4× a step from ~1: it passes the default bound 1e6 × max(0.1, max |start|) ≈ 4e6 in ~12 steps.
        Assert.InRange(record.DivergedAtStep!.Value, 5, 30);
        Assert.False(File.Exists(Path.Combine(_dir, definition.Name, "quick-seed-1", "metrics.csv")));
        var verdict = Assert.Single(GateEvaluator.Evaluate(definition, [1], []));
        Assert.False(verdict.Passed);
        Assert.Contains("missing", verdict.Message);
    }

    [Fact]
    public void Langevin_at_step_5_on_the_two_gaussian_target_ends_diverged_in_sampling()
    {
        // The same sampler (exact score of p₀, start N(0, 1)) on dsm-1d-two-gaussians' target at η = 5:
        // near a mode x ← x − (η/2)(x ∓ 2) multiplies the distance by −1.5 a step. Its variance trace
        // once read Infinity from step 325 while a KSD p-value of 0.048 was still reported.
        var baseline = ExperimentDefinition.Load(Path.Combine(ExperimentRunnerTests.RepoRoot(), "experiments", "dsm-1d-two-gaussians.json"));
        var exact = baseline.Reconstructions.Single(r => r.Name == "forward-backward-exact");
        var definition = baseline with
        {
            Model = new ExactModelDefinition(),
            Training = null,
            Reconstructions = [exact with
            {
                Score = new ScoreSourceDefinition(ScoreSourceDefinition.Exact, 0),
                Start = new GaussianStart(null, 1),
                Sampler = new LangevinSampler(5, 1000),
            }],
            Gates = [],
        };

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Recompute: false)).Run(definition, 1);

        Assert.Equal(RunStatus.Diverged, record.Status);
        Assert.Equal("sampling forward-backward-exact", record.DivergedIn);
        Assert.NotNull(record.DivergedAtStep);
    }

    [Fact]
    public void A_bound_in_the_definition_overrides_the_default()
    {
        // Start N(0, 1) against a bound of 0.5: the start itself is outside, so the run diverges at step 0.
        var definition = Parse(NarrowGaussian.Replace("\"particles\": 200", "\"particles\": 200, \"divergenceBound\": 0.5")
            .Replace("\"stepSize\": 0.1", "\"stepSize\": 0.001"));
        Assert.Equal(0.5, definition.Reconstructions[0].DivergenceBound);

        var record = new ExperimentRunner(new RunOptions(_dir, 1, Quick: true, Recompute: false)).Run(definition, 1);

        Assert.Equal(RunStatus.Diverged, record.Status);
        Assert.Equal(0, record.DivergedAtStep);
    }

    [Fact]
    public void A_nan_statistic_fails_its_gate_as_nan_and_a_missing_one_as_missing()
    {
        var definition = Parse(NarrowGaussian);
        MetricRow[] rows = [new(definition.Name, 1, "langevin-exact", "p0", "ksd-pvalue", double.NaN)];

        var nan = Assert.Single(GateEvaluator.Evaluate(definition, [1], rows));
        var missing = Assert.Single(GateEvaluator.Evaluate(definition, [2], rows));

        Assert.False(nan.Passed);
        Assert.StartsWith("ksd-pvalue = NaN (not a number", nan.Message);
        Assert.False(missing.Passed);
        Assert.StartsWith("ksd-pvalue = missing", missing.Message);
    }
}
