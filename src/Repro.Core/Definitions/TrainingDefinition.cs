using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// How a model is trained: an objective (<see cref="Catalog.Objectives"/>; today DSM at one σ),
/// optimised with Adam on minibatches drawn from the fixed training set.
/// </summary>
/// <param name="Objective">The loss and its noise levels.</param>
/// <param name="LearningRate">Adam's initial learning rate, &gt; 0.</param>
/// <param name="BatchSize">Minibatch size drawn from the fixed training set.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="Scheduler">ReduceLROnPlateau settings, or null for a constant rate.</param>
public sealed record TrainingDefinition(ObjectiveDefinition Objective, double LearningRate, int BatchSize, int Steps, SchedulerDefinition? Scheduler)
{
    /// <summary>The objective's σ: where the learned score is read (<see cref="ObjectiveDefinition.Sigma"/>).</summary>
    public double Sigma => Objective.Sigma;

    /// <summary>The same training at another σ.</summary>
    public TrainingDefinition WithSigma(double sigma) => this with { Objective = Objective.WithSigma(sigma) };

    /// <summary>Reads <c>{ objective: KIND, …its parameters, optimizer: { kind: "adam", learningRate }, scheduler?, batchSize, steps }</c>.</summary>
    public static TrainingDefinition Read(ObjectReader r)
    {
        var objective = Catalog.Objectives.ReadInline(r, "objective");
        var optimizer = r.Object("optimizer");
        optimizer.Choice("kind", "adam");
        double lr = optimizer.Number("learningRate", 0, 10, minExclusive: true);
        optimizer.Done();
        var scheduler = r.OptionalObject("scheduler") is { } s ? SchedulerDefinition.Read(s) : null;
        int batch = (int)r.Integer("batchSize", 1, Limits.MaxBatch);
        int steps = (int)r.Integer("steps", 1, Limits.MaxSteps);
        r.Done();
        return new TrainingDefinition(objective, lr, batch, steps, scheduler);
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
    /// <summary>JSON kind.</summary>
    public const string Kind = "reduce-on-plateau";

    /// <summary>Reads <c>{ kind: "reduce-on-plateau", factor, patience, window? }</c>.</summary>
    public static SchedulerDefinition Read(ObjectReader r)
    {
        r.Choice("kind", Kind);
        double factor = r.Number("factor", 0, 1, minExclusive: true, maxExclusive: true);
        int patience = (int)r.Integer("patience", 0, Limits.MaxSteps);
        int window = (int)(r.OptionalInteger("window", 1, Limits.MaxSteps) ?? 1);
        r.Done();
        return new SchedulerDefinition(factor, patience, window);
    }
}
