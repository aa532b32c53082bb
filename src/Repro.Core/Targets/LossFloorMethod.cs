namespace Repro.Core.Targets;

/// <summary>How a loss floor was computed.</summary>
public enum LossFloorMethod
{
    /// <summary>Mean of (d/σ² − ‖∇log p_σ(x̃)‖²)/d over draws x̃ of p_σ (<see cref="LossFloor.Estimate"/>).</summary>
    MonteCarlo,

    /// <summary>Trapezoid rule on a grid (<see cref="LossFloor.Quadrature"/>, d ≤ 2).</summary>
    Quadrature,
}
