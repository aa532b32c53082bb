using Repro.Core.Calibration;
using Repro.Core.Definitions;

namespace Repro.Core.Tests.Calibration;

/// <summary>The gate calibration on the 1D experiment at test sizes: budget arithmetic, refusals, planted mis-calibration, power.</summary>
public sealed class GateCalibratorTests
{
    static readonly CalibrationSizes Sizes = new(NullReplicates: 400, SamplerReplicates: 1, FaultReplicates: 40, SamplerFaultReplicates: 1);

    static ExperimentDefinition OneD() => ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json"));

    static ExperimentDefinition WithGates(ExperimentDefinition d, params GateDefinition[] gates) => d with { Gates = gates };

    static GateDefinition Gate(string metric, string reconstruction, string comparator, double threshold) =>
        new(metric, reconstruction, GateDefinition.PSigma, comparator, threshold, GateDefinition.EachSeed, "test");

    [Fact]
    public void Shares_add_up_to_the_budget_over_every_gate_instance()
    {
        var d = WithGates(OneD(),
            Gate(MetricNames.KsPValue, "forward-backward-exact", ">=", 1e-4),
            Gate(MetricNames.VarianceRatioDeviation, "forward-backward", "<=", 0.15));
        var result = GateCalibrator.Run([d], Sizes with { FaultReplicates = 1 }, seed: 1);

        Assert.Equal(2 * d.Seeds.Count, result.Instances);
        Assert.Equal(0.01, result.DesignRate, 12);
        Assert.All(result.Gates, g => Assert.Equal(0.01 / result.Instances, g.Alpha, 15));
        var ks = result.Gates.Single(g => g.Gate.EndsWith("ks-pvalue"));
        Assert.Equal(GateCalibration.TrueNull, ks.Kind);
        Assert.Equal(1e-4, ks.ImpliedRate);
        Assert.True(result.Accepted, string.Join("; ", result.Problems));
    }

    [Fact]
    public void A_pvalue_gate_on_a_learned_reconstruction_and_an_unsimulated_metric_are_refused()
    {
        var d = WithGates(OneD(),
            Gate(MetricNames.KsPValue, "forward-backward", ">=", 1e-4),
            Gate(MetricNames.Mmd2, "forward-backward", "<=", 0.003));
        var result = GateCalibrator.Run([d], Sizes with { NullReplicates = 20, FaultReplicates = 1 }, seed: 1);

        Assert.False(result.Accepted);
        Assert.Contains(result.Problems, p => p.Contains("forward-backward/p-sigma/ks-pvalue") && p.Contains("false null by construction"));
        Assert.Contains(result.Problems, p => p.Contains("mmd2") && p.Contains("cannot be a gate"));
    }

    [Fact]
    public void A_threshold_inside_the_null_is_flagged_and_one_beyond_it_has_a_positive_allowance()
    {
        // The 1D null of the variance deviation has mean ≈ 0.02 and sd ≈ 0.015 at n = 2000.
        var tight = WithGates(OneD(), Gate(MetricNames.VarianceRatioDeviation, "forward-backward", "<=", 0.03));
        var loose = WithGates(OneD(), Gate(MetricNames.VarianceRatioDeviation, "forward-backward", "<=", 0.15));
        var bad = GateCalibrator.Run([tight], Sizes with { FaultReplicates = 1 }, seed: 2);
        var good = GateCalibrator.Run([loose], Sizes with { FaultReplicates = 1 }, seed: 2);

        Assert.False(bad.Accepted);
        Assert.True(bad.Gates[0].Failures > 0);
        Assert.True(bad.Gates[0].Allowance < 0);
        Assert.True(good.Accepted, string.Join("; ", good.Problems));
        Assert.Equal(0, good.Gates[0].Failures);
        Assert.InRange(good.Gates[0].Allowance!.Value, 0.03, 0.12);
        // Same seed, same draws: the null does not depend on the threshold.
        Assert.Equal(bad.Gates[0].NullMean, good.Gates[0].NullMean);
    }

    [Fact]
    public void The_pvalue_null_is_uniform_enough_and_gross_faults_are_caught_while_none_is_not()
    {
        var d = WithGates(OneD(),
            Gate(MetricNames.KsPValue, "forward-backward-exact", ">=", 0.05),
            Gate(MetricNames.VarianceRatioDeviation, "forward-backward", "<=", 0.15),
            Gate(MetricNames.LossExcess, MetricNames.TrainingReconstruction, "<=", 0.02),
            Gate(MetricNames.ScoreRelativeL2, MetricNames.TrainingReconstruction, "<=", 0.2));
        var result = GateCalibrator.Run([d], Sizes with { FaultReplicates = 10 }, seed: 3);

        // At threshold 0.05 a valid p-value fails ≈ 5% of 400 null draws (binomial sd ≈ 4.4).
        var ks = result.Gates.Single(g => g.Gate.EndsWith("ks-pvalue"));
        Assert.InRange(ks.Failures, 6, 35);
        double Rate(string fault, string metric) => result.Power.Single(p => p.Fault == fault && p.Gate.EndsWith(metric)).Rate;
        // p₀ in place of p_σ: variance 1 + 4 against 2.5625 + 4, and a score off by ≈ 70%.
        Assert.Equal(1.0, Rate("p₀", MetricNames.VarianceRatioDeviation));
        Assert.Equal(1.0, Rate("p₀", MetricNames.KsPValue));
        Assert.Equal(1.0, Rate("p₀", MetricNames.ScoreRelativeL2));
        Assert.Equal(1.0, Rate("p₀", MetricNames.LossExcess));
        // σ +10%: the score is within 20% (not caught by score-relative-l2), and a step fault has no training column.
        Assert.Equal(0.0, Rate("σ×1.1", MetricNames.ScoreRelativeL2));
        Assert.True(double.IsNaN(Rate("step×2", MetricNames.LossExcess)));
        Assert.Equal(0.0, Rate("exact sampler", MetricNames.VarianceRatioDeviation));
    }

    [Fact]
    public void The_failing_quantile_is_the_order_statistic_in_the_failing_direction()
    {
        double[] values = Enumerable.Range(1, 1000).Select(i => (double)i).ToArray();
        Assert.Equal(990, GateCalibrator.FailingQuantile(values, "<=", 0.01));
        Assert.Equal(11, GateCalibrator.FailingQuantile(values, ">=", 0.01));
        Assert.Equal(1000, GateCalibrator.FailingQuantile(values, "<=", 1e-6));
    }

    [Fact]
    public void Equivariance_and_drift_gates_are_sized_against_the_exact_scores_own_error_and_a_gate_the_exact_score_must_fail_is_flagged()
    {
        // On the centred cloud (invariant under E(3) × S_K) the exact score −P·x/(v + σ²) is equivariant to float64
        // rounding, and its Langevin sampler with projected noise stays on the zero-centre-of-mass subspace: the EGNN's
        // gates imply no false alarms. A plain gate "≥ 0.1" (what the flat MLP shows) is failed by the exact score
        // itself, so calibrate refuses it: a control is declared as an expected failure instead (next test).
        var egnn = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "egnn-3d-centred-cloud.json"));
        var result = GateCalibrator.Run([egnn], Sizes with { FaultReplicates = 1 }, seed: 3);

        Assert.True(result.Accepted, string.Join("; ", result.Problems));
        Assert.Equal(5, result.Gates.Count);
        Assert.Equal(4, result.Gates.Count(g => g.Gate.StartsWith("training/p-sigma/equivariance-error-", StringComparison.Ordinal)));
        var drift = Assert.Single(result.Gates, g => g.Gate == "forward-backward/p-sigma/com-drift");
        Assert.Equal(GateCalibration.SamplerNull, drift.Null);
        Assert.All(result.Gates, g =>
        {
            Assert.True(g.NullMean < 1e-12, $"{g.Gate}: exact-score null {g.NullMean}");
            Assert.Equal(0, g.ImpliedRate);
        });

        var control = WithGates(egnn, Gate("equivariance-error-rotation", MetricNames.TrainingReconstruction, ">=", 0.1));
        var refused = GateCalibrator.Run([control], Sizes with { FaultReplicates = 1 }, seed: 3);
        Assert.False(refused.Accepted);
        Assert.Contains(refused.Problems, p => p.Contains("equivariance-error-rotation") && p.Contains("implied false-alarm rate 1"));
    }

    [Fact]
    public void A_controls_expected_failure_holds_its_share_and_is_checked_against_the_exact_score_it_must_be_told_from()
    {
        var mlp = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "mlp-3d-centred-cloud.json"));
        var egnn = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "egnn-3d-centred-cloud.json"));
        var result = GateCalibrator.Run([egnn, mlp], Sizes with { FaultReplicates = 1 }, seed: 3);

        Assert.True(result.Accepted, string.Join("; ", result.Problems));
        Assert.Equal(6, result.Instances);
        var control = Assert.Single(result.Gates, g => g.Experiment == mlp.Name);
        Assert.Equal(GateCalibration.ExpectedFailure, control.Kind);
        Assert.Equal(0, control.Failures); // the exact score meets ≤ 1e-4: an equivariant "control" would be an unexpected pass
        Assert.True(double.IsNaN(control.ImpliedRate));
        Assert.Equal(0.01 / 6, control.Alpha, 15);
        Assert.Equal(0.01, result.DesignRate, 12); // its share stays in the design
        Assert.All(result.Power.Where(p => p.Experiment == mlp.Name), p => Assert.Equal(0, p.Replicates));

        // A control's gate that even the exact score misses cannot tell a control from a correct score: refused.
        var blind = WithGates(mlp, mlp.Gates[0] with { Threshold = 1e-20 });
        var refused = GateCalibrator.Run([blind], Sizes with { FaultReplicates = 1 }, seed: 3);
        Assert.False(refused.Accepted);
        Assert.Contains(refused.Problems, p => p.Contains("must be met by the exact score (the alternative)"));
    }
}
