using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.Distributions;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Calibration;

/// <summary>
/// The gates' calibration by simulation with the exact truth (no training): for every gate its
/// null distribution at the pinned full sizes, the false-alarm rate that null implies at the
/// gate's threshold, its share of one budget for the whole gate set, and its power against graded
/// faults (<see cref="GradedFault.Standard"/>).
/// </summary>
/// <remarks>
/// Budget: a full run has N gate instances (gates × seeds over every definition); each gets
/// α = budget / N, so the family-wise false-alarm rate is at most the budget by the union bound.
/// A p-value gate on an exact-score reconstruction is a true-null test: its threshold is its α.
/// Every other gate (learned outputs, sampler and training values) is a tolerance gate: its
/// threshold must lie beyond its simulated null's 1 − α quantile, and the distance between the
/// two is the effect it tolerates. A p-value gate on a learned reconstruction is refused: a finite
/// network is never exactly ∇log p_σ, so its null is false by construction.
/// </remarks>
public static class GateCalibrator
{
    /// <summary>The family-wise false-alarm budget of a full run.</summary>
    public const double DefaultBudget = 0.01;

    /// <summary>Monte Carlo size of the loss floor where it is not integrated on a grid (as in the runner).</summary>
    public const int FloorSamples = 200_000;

    /// <summary>Minibatches averaged into the final loss (as <c>TrainingRecord.FinalLoss</c>).</summary>
    public const int LossWindow = 200;

    /// <summary>Gate instances of <paramref name="gate"/> in one full run of <paramref name="definition"/>.</summary>
    public static int Instances(ExperimentDefinition definition, GateDefinition gate) =>
        gate.Over == GateDefinition.EachSeed ? definition.Seeds.Count : 1;

    /// <summary>Key of a gate in tables: <c>reconstruction/reference/metric</c>.</summary>
    public static string Key(GateDefinition gate) => $"{gate.Reconstruction}/{gate.Reference}/{gate.Metric}";

    /// <summary>Calibrates every gate of <paramref name="definitions"/>; every draw comes from <paramref name="seed"/>.</summary>
    public static CalibrationResult Run(IReadOnlyList<ExperimentDefinition> definitions, CalibrationSizes sizes, ulong seed,
        double budget = DefaultBudget, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        int instances = definitions.Sum(d => d.Gates.Sum(g => Instances(d, g)));
        double alpha = budget / Math.Max(1, instances);
        var gates = new List<GateCalibration>();
        var power = new List<FaultDetection>();
        var problems = new List<string>();
        var root = new RandomStream(seed);
        foreach (var definition in definitions)
        {
            var simulation = new ExperimentSimulation(definition, sizes, root.Child(definition.Name), progress);
            foreach (var gate in definition.Gates)
            {
                var (calibration, problem) = simulation.Calibrate(gate, Instances(definition, gate), alpha);
                if (problem is not null) problems.Add($"{definition.Name}: {Key(gate)}: {problem}");
                if (calibration is null) continue;
                gates.Add(calibration);
                if (!calibration.WithinBudget)
                    problems.Add($"{definition.Name}: {Key(gate)}: implied false-alarm rate {calibration.ImpliedRate:G3} exceeds its share α = {alpha:G3}"
                        + (calibration.Kind == GateCalibration.Tolerance
                            ? $" (threshold {calibration.Threshold:G4} against the null's 1 − α quantile {calibration.NullQuantile:G4})" : ""));
            }
            power.AddRange(simulation.Power());
        }
        double design = gates.Sum(g => g.Instances * g.Alpha);
        // A control's gate has no simulated rate (NaN): its share stays in the design, its rate is measured by calibrate --runs.
        double implied = gates.Where(g => !double.IsNaN(g.ImpliedRate)).Sum(g => g.Instances * g.ImpliedRate);
        if (implied > budget * (1 + 1e-9)) problems.Add($"the gates' implied family-wise rate {implied:G3} exceeds the budget {budget:G3}");
        return new CalibrationResult(seed, sizes, budget, instances, design, implied, gates, GradedFault.Standard, power, problems,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The statistics a gate can read from one sample of a reconstruction: every registered sample metric that
    /// does not resample (<see cref="ISampleMetric.Resamples"/>: KS, moments, mode weights), as the evaluator
    /// computes it. The law is passed with an empty reference sample, which those metrics never read.
    /// </summary>
    public static IReadOnlyDictionary<string, double> SampleStatistics(Mixture target, Points x, double referenceSigma)
    {
        var law = new ReferenceLaw(target, Smoothing.Gaussian(referenceSigma), Points.Zeros(0, x.Dimension));
        var values = new Dictionary<string, double>();
        foreach (var (metric, value) in MetricCatalog.Default.Sample(x, law, NoResampling, NoStream, include: m => !m.Resamples))
            values[metric] = value;
        return values;
    }

    /// <summary>Sizes and stream for metrics that neither resample nor draw (never read).</summary>
    static readonly MetricSettings NoResampling = new(1, 1, 1, 1);

    static readonly RandomStream NoStream = new(0);

    /// <summary>
    /// The 1 − α quantile of <paramref name="values"/> in the failing direction of <paramref name="comparator"/>
    /// (upper for ≤, lower for ≥): the order statistic ⌈(1 − α)R⌉ of R.
    /// </summary>
    public static double FailingQuantile(IReadOnlyList<double> values, string comparator, double alpha)
    {
        var sorted = values.Order().ToArray();
        int r = sorted.Length;
        int upper = Math.Clamp((int)Math.Ceiling((1 - alpha) * r) - 1, 0, r - 1);
        return comparator == "<=" ? sorted[upper] : sorted[r - 1 - upper];
    }

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Normal tail of (mean, sd) beyond the threshold in the failing direction.</summary>
    internal static double NormalTail(double mean, double sd, double threshold, string comparator)
    {
        if (!(sd > 0)) return 0;
        double z = (threshold - mean) / sd;
        return comparator == "<=" ? Normal.CDF(0, 1, -z) : Normal.CDF(0, 1, z);
    }
}
