using Repro.Core.Definitions;
using Repro.Core.Evaluation;

namespace Repro.Core.Tests.Evaluation;

/// <summary>
/// A control's gate (<c>"expect": "fail"</c>) holds when the control misses the threshold and fails when it meets it
/// (an unexpected pass, as pytest's strict xfail); a missing or NaN value fails it like any gate.
/// </summary>
public sealed class ExpectedFailureGateTests
{
    static readonly ExperimentDefinition Control = ExperimentDefinition.Load(Path.Combine(RepoPaths.Experiments, "mlp-3d-centred-cloud.json"));

    static GateDefinition Gate => Control.Gates.Single(g => g.ExpectsFailure);

    static IReadOnlyList<GateVerdict> Judge(params double[] values) => GateEvaluator.Evaluate(Control, [1, 2],
        values.Select((v, i) => new MetricRow(Control.Name, i + 1, Gate.Reconstruction, Gate.Reference, Gate.Metric, v)).ToList());

    [Fact]
    public void The_shipped_control_declares_its_rotation_gate_an_expected_failure()
    {
        Assert.Equal("equivariance-error-rotation", Gate.Metric);
        Assert.Equal("must miss <= 0.0001", Gate.ThresholdText);
        Assert.DoesNotContain(Control.Gates, g => !g.ExpectsFailure);
    }

    [Fact]
    public void A_control_that_misses_the_threshold_fails_as_expected_and_the_check_holds()
    {
        var v = Assert.Single(Judge(0.81, 0.89));

        Assert.True(v.Passed);
        Assert.False(v.Failed);
        Assert.False(v.UnexpectedPass);
        Assert.Equal("fails as expected", v.VerdictText);
        Assert.StartsWith("equivariance-error-rotation = 0.85 misses <= 0.0001, as expected of this control (", v.Message);
    }

    [Fact]
    public void A_control_that_meets_the_threshold_is_an_unexpected_pass_and_fails_the_check()
    {
        var v = Assert.Single(Judge(2e-7, 3e-7));

        Assert.False(v.Passed);
        Assert.True(v.Failed);
        Assert.True(v.UnexpectedPass);
        Assert.Equal("UNEXPECTED PASS", v.VerdictText);
        Assert.Contains("meets <= 0.0001, which this control is expected to miss", v.Message);
    }

    [Fact]
    public void A_control_not_measured_fails_the_check_without_claiming_it_failed_as_expected()
    {
        var missing = Assert.Single(GateEvaluator.Evaluate(Control, [1, 2], []));
        var nan = Assert.Single(Judge(double.NaN, 0.8));

        Assert.All([missing, nan], v =>
        {
            Assert.True(v.Failed);
            Assert.False(v.UnexpectedPass);
            Assert.Equal("FAIL", v.VerdictText);
        });
    }

    [Fact]
    public void Expect_is_pass_by_default_and_must_be_pass_or_fail()
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Experiments, "mlp-3d-centred-cloud.json"));
        var plain = ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(text.Replace("\"expect\": \"fail\",", "")), "test.json");
        var e = Assert.Throws<DefinitionException>(() =>
            ExperimentDefinition.Parse(System.Text.Encoding.UTF8.GetBytes(text.Replace("\"expect\": \"fail\"", "\"expect\": \"maybe\"")), "test.json"));

        Assert.False(plain.Gates[0].ExpectsFailure);
        Assert.True(plain.Gates[0].Holds(1e-7));
        Assert.Equal("$.gates[0].expect", e.JsonPath);
        Assert.EndsWith("must be one of \"pass\", \"fail\" (got \"maybe\")", e.Message);
    }
}
