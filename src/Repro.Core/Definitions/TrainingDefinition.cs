using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// Denoising score matching at one noise level: x̃ = x₀ + σε, target −ε/σ, loss the mean over
/// batch and dimensions of (s(x̃) + ε/σ)², optimised with Adam.
/// </summary>
/// <param name="Sigma">σ &gt; 0 of the DSM corruption.</param>
/// <param name="LearningRate">Adam's initial learning rate, &gt; 0.</param>
/// <param name="BatchSize">Minibatch size drawn from the fixed training set.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="Scheduler">ReduceLROnPlateau settings, or null for a constant rate.</param>
public sealed record TrainingDefinition(double Sigma, double LearningRate, int BatchSize, int Steps, SchedulerDefinition? Scheduler)
{
    /// <summary>Reads <c>{ objective: "dsm", sigma, optimizer: { kind: "adam", learningRate }, scheduler?, batchSize, steps }</c>.</summary>
    public static TrainingDefinition Read(ObjectReader r)
    {
        r.Choice("objective", "dsm");
        double sigma = r.Number("sigma", 0, 1e3, minExclusive: true);
        var optimizer = r.Object("optimizer");
        optimizer.Choice("kind", "adam");
        double lr = optimizer.Number("learningRate", 0, 10, minExclusive: true);
        optimizer.Done();
        var scheduler = r.OptionalObject("scheduler") is { } s ? SchedulerDefinition.Read(s) : null;
        int batch = (int)r.Integer("batchSize", 1, Limits.MaxBatch);
        int steps = (int)r.Integer("steps", 1, Limits.MaxSteps);
        r.Done();
        return new TrainingDefinition(sigma, lr, batch, steps, scheduler);
    }
}

/// <summary>
/// PyTorch's ReduceLROnPlateau (mode min): multiply the rate by <paramref name="Factor"/> after
/// <paramref name="Patience"/> steps without improvement. The seed report steps it on every
/// minibatch's noisy loss (<paramref name="Window"/> = 1); a larger window steps it on the mean
/// of the last k losses.
/// </summary>
public sealed record SchedulerDefinition(double Factor, int Patience, int Window)
{
    /// <summary>Reads <c>{ kind: "reduce-on-plateau", factor, patience, window? }</c>.</summary>
    public static SchedulerDefinition Read(ObjectReader r)
    {
        r.Choice("kind", "reduce-on-plateau");
        double factor = r.Number("factor", 0, 1, minExclusive: true, maxExclusive: true);
        int patience = (int)r.Integer("patience", 0, Limits.MaxSteps);
        int window = (int)(r.OptionalInteger("window", 1, Limits.MaxSteps) ?? 1);
        r.Done();
        return new SchedulerDefinition(factor, patience, window);
    }
}
