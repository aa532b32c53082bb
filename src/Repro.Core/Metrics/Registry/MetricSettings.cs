namespace Repro.Core.Metrics;

/// <summary>Sizes of the resampling tests, as an experiment's evaluation pins them (quick settings cap the permutations).</summary>
/// <param name="Permutations">Permutations B of the MMD and sliced-KS p-values (≥ 1).</param>
/// <param name="Projections">Random directions of the sliced KS (≥ 1).</param>
/// <param name="Bootstrap">Wild-bootstrap draws of the KSD p-value (≥ 1).</param>
/// <param name="MmdSize">Points per side of the MMD test (its permutation cost is quadratic in it).</param>
public sealed record MetricSettings(int Permutations, int Projections, int Bootstrap, int MmdSize)
{
    /// <summary>A fixed MMD kernel bandwidth h (a length) instead of the median-heuristic ladder; null for the ladder.</summary>
    public double? Bandwidth { get; init; }

    /// <summary>The probability-flow likelihood ODE and its point count (<see cref="MetricNeed.ProbabilityFlowOde"/>), or null when the experiment samples by no probability-flow ODE.</summary>
    public LikelihoodSettings? Likelihood { get; init; }
}
