using System.Diagnostics;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Trains a <see cref="ScoreNetwork"/> by its definition's objective (<see cref="NetworkCatalog.Loss"/>;
/// today denoising score matching at one σ, Vincent 2011): minibatches drawn with replacement from a
/// fixed training set, fresh noise every step. Adam and ReduceLROnPlateau are TorchSharp's.
/// </summary>
public static class DsmTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place. Minibatch indices come from
    /// <c>rng.Child("batches")</c> and noise from <c>rng.Child("noise")</c>, so the run is a pure
    /// function of (training set, initial weights, rng, thread count).
    /// </summary>
    /// <param name="progress">Called with (step, loss) every few steps; may be null.</param>
    /// <param name="projection">The projection of noise onto the data's state space (zero centre of mass), or null on all of R^d.</param>
    public static TrainingRecord Train(ScoreNetwork model, Points trainingSet, TrainingDefinition training, int steps,
        RandomStream rng, Action<int, double>? progress = null, Core.Targets.NoiseProjection? projection = null)
    {
        int d = trainingSet.Dimension, n = trainingSet.Count, batch = Math.Min(training.BatchSize, n);
        var objective = NetworkCatalog.Loss(training.Objective, projection);
        var batches = rng.Child("batches");
        var noise = rng.Child("noise");

        using var data = tensor(Array.ConvertAll(trainingSet.Data, v => (float)v), [n, d]);
        using var optimizer = optim.Adam(model.parameters(), lr: training.LearningRate);
        var scheduler = training.Scheduler is { } s
            ? optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "min", factor: s.Factor, patience: s.Patience)
            : null;
        int window = training.Scheduler?.Window ?? 1;
        var recent = new Queue<double>(window);
        double recentSum = 0;

        var losses = new List<double>(steps);
        var rates = new List<double>(steps);
        var indices = new long[batch];
        int? diverged = null;
        model.train();
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            for (int i = 0; i < batch; i++) indices[i] = batches.NextInt(n);
            var x0 = data.index_select(0, tensor(indices));
            var loss = objective.Loss(model, x0, noise);

            optimizer.zero_grad();
            loss.backward();
            double value = loss.item<float>();
            rates.Add(optimizer.ParamGroups.First().LearningRate);
            losses.Add(value);
            if (!double.IsFinite(value))
            {
                diverged = step;
                break;
            }
            optimizer.step();

            if (scheduler is not null)
            {
                // The seed steps the scheduler on each minibatch's noisy loss (window 1);
                // a wider window steps it on the mean of the last k losses.
                recent.Enqueue(value);
                recentSum += value;
                if (recent.Count > window) recentSum -= recent.Dequeue();
                if (recent.Count == window) scheduler.step(recentSum / window);
            }
            if (progress is not null && (step % 50 == 0 || step == steps)) progress(step, value);
        }
        clock.Stop();
        model.eval();
        return new TrainingRecord(losses, rates, diverged, clock.Elapsed.TotalSeconds);
    }
}
