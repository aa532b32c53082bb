namespace Repro.Core.Metrics;

/// <summary>Mode-weight recovery: per-component weights and the test of the true weights (<see cref="ModeWeights"/>).</summary>
/// <param name="Modes">One entry per component k = 0..K−1.</param>
/// <param name="Total">Number n of points.</param>
/// <param name="Statistic">Wald T = n (r̄ − w)ᵀ S⁺ (r̄ − w) on the mean responsibilities (∞ when r̄ differs from w in a direction the sample never varies in).</param>
/// <param name="DegreesOfFreedom">rank of S, K − 1 for a sample that reaches every component.</param>
/// <param name="PValue">χ²_df survival of T (asymptotic; uniform under the reference law).</param>
/// <param name="Test">The test's name, <see cref="ModeWeights.TestName"/>.</param>
public sealed record ModeWeightsResult(IReadOnlyList<ModeShare> Modes, int Total, double Statistic, int DegreesOfFreedom, double PValue, string Test);
