using Repro.Core.Definitions;
using Repro.Core.Random;
using static TorchSharp.torch;

namespace Repro.Training.Tests;

/// <summary>
/// <see cref="PlateauSchedule"/> against TorchSharp 0.107's own <c>ReduceLROnPlateau</c> (the reference), stepped
/// as <see cref="DsmTrainer"/> steps it, on noisy decreasing loss sequences that trigger several reductions.
/// </summary>
public sealed class PlateauScheduleTests
{
    [Theory]
    [InlineData(0.5, 10, 1)]
    [InlineData(0.3, 4, 3)]
    [InlineData(0.9, 0, 1)]
    public void Follows_TorchSharps_ReduceLROnPlateau_rate_for_rate(double factor, int patience, int window)
    {
        TorchRuntime.Initialise(1);
        var rule = new SchedulerDefinition(factor, patience, window);
        using var parameter = new TorchSharp.Modules.Parameter(zeros(1));
        using var optimizer = optim.Adam([parameter], lr: 1e-2);
        var reference = optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "min", factor: factor, patience: patience);
        var schedule = new PlateauSchedule(1e-2, rule);
        var rng = new RandomStream(3);
        var recent = new Queue<double>();
        double sum = 0;
        int reductions = 0;
        for (int step = 0; step < 600; step++)
        {
            Assert.Equal(optimizer.ParamGroups.First().LearningRate, schedule.LearningRate);
            double loss = 1.0 / (1 + step / 50.0) + 0.05 * rng.NextGaussian();
            recent.Enqueue(loss);
            sum += loss;
            if (recent.Count > window) sum -= recent.Dequeue();
            if (recent.Count == window) reference.step(sum / window);
            double before = schedule.LearningRate;
            schedule.Step(loss);
            if (schedule.LearningRate != before) reductions++;
        }
        Assert.True(reductions >= 3, $"only {reductions} reductions: the sequence does not exercise the rule");
    }

    [Fact]
    public void Without_a_rule_the_rate_stays()
    {
        var schedule = new PlateauSchedule(1e-3, null);
        for (int i = 0; i < 100; i++) schedule.Step(1.0);
        Assert.Equal(1e-3, schedule.LearningRate);
    }
}
