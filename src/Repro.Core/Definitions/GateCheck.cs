using Repro.Core.Metrics;

namespace Repro.Core.Definitions;

/// <summary>
/// Whether a gate's metric can be measured in an experiment, read from the metric's registered scope and
/// needs (<see cref="MetricCatalog"/>), so a new metric is checked with no edit here.
/// </summary>
public static class GateCheck
{
    /// <summary>Null when the gate can be measured, else the reason (the error text for <c>$.gates[i]</c>).</summary>
    public static string? Problem(ExperimentDefinition definition, GateDefinition gate)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(gate);
        var (metric, _) = MetricCatalog.Default.Find(gate.Metric) ?? throw new InvalidOperationException($"gate metric \"{gate.Metric}\" is not registered");
        ReconstructionDefinition? judged = null;
        if (metric.Scope == MetricScope.Training)
        {
            if (gate.Reconstruction != MetricNames.TrainingReconstruction)
                return $"metric \"{gate.Metric}\" describes the trained score: reconstruction must be \"{MetricNames.TrainingReconstruction}\"";
        }
        else
        {
            judged = definition.Reconstructions.FirstOrDefault(r => r.Name == gate.Reconstruction);
            if (judged is null) return $"reconstruction \"{gate.Reconstruction}\" is not defined";
        }
        var data = definition.Data;
        foreach (var need in metric.Needs)
        {
            string? problem = need switch
            {
                MetricNeed.TrainedScore when !definition.Model.IsTrained => $"metric \"{gate.Metric}\" needs a trained model",
                MetricNeed.NoiseConditionalScore when !definition.Model.IsNoiseConditional =>
                    $"metric \"{gate.Metric}\" reads the score at every level of its σ grid: it needs a noise-conditional model ({definition.Model.Describe()} answers at one σ)",
                MetricNeed.ProbabilityFlowOde when !definition.Reconstructions.Any(r => r.Sampler is ProbabilityFlowSampler) =>
                    $"metric \"{gate.Metric}\" integrates the experiment's probability-flow ODE: it needs a reconstruction with sampler kind \"{ProbabilityFlowSampler.Kind}\"",
                MetricNeed.Modes when data.Components.Count < 2 =>
                    $"metric \"{gate.Metric}\" compares mixture weights: it needs data with ≥ 2 components (this data has {data.Components.Count})",
                MetricNeed.SeveralCoordinates when data.Dimension < 2 =>
                    $"metric \"{gate.Metric}\" projects onto random directions: it needs data with ≥ 2 coordinates (this data has {data.Dimension})",
                MetricNeed.FullDimensionalDensity when data.BuildTarget().ConstrainsNoise =>
                    $"metric \"{gate.Metric}\" needs a density on all of R^d: this data lives on a subspace (zero centre of mass)",
                MetricNeed.ParticleShape when data.Particles is not { Space: 3 } =>
                    $"metric \"{gate.Metric}\" acts on point clouds: it needs data with a particle shape of points in 3 dimensions (data.particleShape, or a cloud component kind){(data.Particles is { } p ? $"; this data is {p}" : "")}",
                MetricNeed.ZeroCentreOfMass when !data.OnSubspace =>
                    $"metric \"{gate.Metric}\" measures the drift off the zero-centre-of-mass subspace: it needs data on that subspace (a centred-gaussian-cloud component)",
                MetricNeed.HeldOutSplit when !(data.Components is [EnsembleDefinition]) =>
                    $"metric \"{gate.Metric}\" compares with held-out conformers: it needs data that is one \"{EnsembleDefinition.Kind}\" component",
                MetricNeed.LangevinOnExactScore when judged is not null
                    && (judged.Score.Source != ScoreSourceDefinition.Exact || !judged.Sampler.MakesLangevinMoves) =>
                    $"metric \"{gate.Metric}\" judges Langevin moves against the exact law: reconstruction \"{gate.Reconstruction}\" must use score.kind \"exact\" and a Langevin sampler",
                _ => null,
            };
            if (problem is not null) return problem;
        }
        return null;
    }
}
