using System.Globalization;
using Repro.Core.Calibration;
using Repro.Reporting.Model;

namespace Repro.Reporting;

/// <summary>
/// The report's calibration section, from the stored <c>calibration.json</c> of <c>repro calibrate</c>:
/// the budget and how it adds up, each gate's simulated null and implied false-alarm rate, and the
/// detection rate of every gate against the graded faults.
/// </summary>
public static class CalibrationSection
{
    /// <summary>The sentence on controls' gates (expected failures), empty when there are none.</summary>
    static string Controls(CalibrationResult calibration)
    {
        var controls = calibration.Gates.Where(g => g.Kind == GateCalibration.ExpectedFailure).ToArray();
        if (controls.Length == 0) return "";
        return $", besides {controls.Sum(g => g.Instances)} instance(s) of controls' gates (expected failures), whose shares are reserved in the design: " +
            "a control's false alarm is meeting the threshold it must miss, which needs the trained control (`repro calibrate --runs` measures it), " +
            "so the simulation checks the other side, that the exact score (the alternative) meets the threshold, and shows no implied rate";
    }

    /// <summary>Blocks of the section; a pointer to <c>make calibrate</c> when there is no calibration yet.</summary>
    public static IReadOnlyList<Block> Build(CalibrationResult? calibration)
    {
        var blocks = new List<Block> { new Heading(2, "Calibration of the gates") };
        if (calibration is null)
        {
            blocks.Add(new Paragraph("No calibration is stored beside these results: run `make calibrate` (it writes `calibration.json` here) and rebuild the report."));
            return blocks;
        }
        static string G(double v) => double.IsNaN(v) ? "—" : v.ToString("G3", CultureInfo.InvariantCulture);
        double alpha = calibration.Budget / Math.Max(1, calibration.Instances);
        var s = calibration.Sizes;
        blocks.Add(new Paragraph(
            $"One budget for the whole gate set: a correct full run may fail any gate with probability at most {calibration.Budget:P0}. " +
            $"A full run has {calibration.Instances} gate instances (every gate × seed, value gates included), so each instance holds α = {G(alpha)} " +
            $"and the shares add up to {calibration.DesignRate:P2} by the union bound. A p-value gate on an exact-score reconstruction is a true-null test " +
            "with threshold ≤ α. Every other gate is a tolerance gate: its threshold lies beyond the 1 − α quantile of its simulated null, and the distance " +
            "(the allowance) is the effect it tolerates. The implied rates below add up to " +
            $"{calibration.ImpliedRate:P3} per full run{Controls(calibration)}. Verdict: **{(calibration.Accepted ? "accepted" : "NOT accepted: " + string.Join("; ", calibration.Problems))}**."));
        blocks.Add(new Paragraph(
            $"Simulated with the exact truth, no training, by `repro calibrate` at commit `{calibration.Commit}`, seed {calibration.Seed}, in {calibration.Seconds:F0} s: " +
            $"{s.NullReplicates} exact draws of p_σ per gated sample law, {s.SamplerReplicates} runs of each exact-score sampler, " +
            $"{s.FaultReplicates} replicates per law or training fault and {s.SamplerFaultReplicates} per sampler fault."));
        blocks.Add(new Table(
            ["experiment", "gate", "threshold", "kind", "null", "null fails", "null mean ± sd", "null 1 − α quantile", "allowance", "implied rate", "instances × α"],
            calibration.Gates.Select(g => (IReadOnlyList<string>)
            [
                g.Experiment, g.Gate, $"{g.Comparator} {G(g.Threshold)}", g.Kind, g.Null, $"{g.Failures}/{g.Replicates}",
                $"{G(g.NullMean)} ± {G(g.NullSd)}", G(g.NullQuantile), g.Allowance is { } a ? G(a) : "—", G(g.ImpliedRate),
                $"{g.Instances} × {G(g.Alpha)}",
            ]).ToArray(),
            "Implied rate: for a true-null test its threshold (a valid p-value has P(p ≤ t) ≤ t); otherwise the larger of the empirical rate and the normal tail of the simulated null beyond the threshold."));
        var faults = calibration.Power.Select(p => p.Fault).Distinct().ToArray();
        var rows = calibration.Power.GroupBy(p => (p.Experiment, p.Gate)).Select(group => (IReadOnlyList<string>)
            new[] { group.Key.Experiment, group.Key.Gate }
                .Concat(faults.Select(f => group.FirstOrDefault(p => p.Fault == f) is { Replicates: > 0 } p ? $"{p.Detected}/{p.Replicates}" : "—"))
                .ToArray()).ToArray();
        blocks.Add(new Heading(3, "Power against graded faults"));
        blocks.Add(new Table(["experiment", "gate", .. faults], rows,
            "Detected / replicates per gate and fault (— : the gate cannot see that fault). \"exact sampler\" is no fault: the configured sampler on the exact score, so its column counts false alarms. " +
            string.Join(" ", calibration.Faults.Select(f => $"{f.Name}: {f.Description}."))));
        return blocks;
    }
}
