namespace Repro.Core.Targets;

/// <summary>A Monte Carlo estimate of a per-dimension DSM loss at one noise level.</summary>
/// <param name="Floor">The estimate, per dimension (the loss averaged over batch and coordinates).</param>
/// <param name="StandardError">Standard error of <paramref name="Floor"/> (sample standard deviation / √n).</param>
/// <param name="Samples">Number of Monte Carlo draws n.</param>
/// <param name="Sigma">The noise level σ &gt; 0.</param>
public sealed record LossFloorResult(double Floor, double StandardError, int Samples, double Sigma);
