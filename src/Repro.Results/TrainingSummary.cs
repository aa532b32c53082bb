namespace Repro.Results;

/// <summary>Per-run training figures, as stored in <c>run.json</c>.</summary>
/// <param name="Steps">Optimiser steps taken.</param>
/// <param name="FinalLoss">Mean DSM loss of the last 200 steps (per dimension).</param>
/// <param name="LossFloor">The DSM floor (d/σ² − J(p_σ))/d per dimension: by quadrature for d ≤ 2, else a Monte Carlo estimate.</param>
/// <param name="LossFloorStandardError">Its error: the quadrature's error estimate, or the Monte Carlo standard error.</param>
/// <param name="ExcessOverFloor"><paramref name="FinalLoss"/> − <paramref name="LossFloor"/>.</param>
/// <param name="Seconds">Training wall time, seconds.</param>
/// <param name="StepsPerSecond">Training throughput.</param>
public sealed record TrainingSummary(
    int Steps, double FinalLoss, double LossFloor, double LossFloorStandardError, double ExcessOverFloor,
    double Seconds, double StepsPerSecond);
