namespace Repro.Training;

/// <summary>
/// What one DSM training run recorded: the per-step minibatch loss and learning rate, and how it ended.
/// </summary>
/// <param name="Loss">Minibatch DSM loss per step (mean over batch and dimensions).</param>
/// <param name="LearningRate">Learning rate in effect at each step.</param>
/// <param name="DivergedAtStep">The 1-based step whose loss was NaN or infinite, or null.</param>
/// <param name="Seconds">Wall time of the optimisation loop.</param>
public sealed record TrainingRecord(IReadOnlyList<double> Loss, IReadOnlyList<double> LearningRate, int? DivergedAtStep, double Seconds)
{
    /// <summary>Steps actually taken.</summary>
    public int Steps => Loss.Count;

    /// <summary>True when the run stopped on a non-finite loss.</summary>
    public bool Diverged => DivergedAtStep is not null;

    /// <summary>Mean of the last min(200, steps) losses: the plateau value.</summary>
    public double FinalLoss
    {
        get
        {
            int k = Math.Min(200, Loss.Count);
            double sum = 0;
            for (int i = Loss.Count - k; i < Loss.Count; i++) sum += Loss[i];
            return k == 0 ? double.NaN : sum / k;
        }
    }

    /// <summary>Optimiser steps per second of wall time.</summary>
    public double StepsPerSecond => Seconds > 0 ? Steps / Seconds : double.NaN;
}
