namespace Repro.Core.Targets;

/// <summary>A per-dimension DSM loss floor at one noise level, by Monte Carlo or by quadrature.</summary>
/// <param name="Floor">The floor, per dimension (the loss averaged over batch and coordinates).</param>
/// <param name="StandardError">Monte Carlo: the standard error of <paramref name="Floor"/> (sample standard deviation / √n).
/// Quadrature: the error estimate, the change of the last grid halving (per dimension).</param>
/// <param name="Samples">Monte Carlo draws n, or the final quadrature grid's node count.</param>
/// <param name="Sigma">The noise level σ &gt; 0.</param>
public sealed record LossFloorResult(double Floor, double StandardError, int Samples, double Sigma)
{
    /// <summary>How <see cref="Floor"/> was computed.</summary>
    public LossFloorMethod Method { get; init; } = LossFloorMethod.MonteCarlo;
}
