using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Training.Tests;

public class TorchLoadTests
{
    [Fact]
    public void TorchSharp_loads_and_one_training_step_changes_the_weights()
    {
        TorchRuntime.Initialise(threads: 1);
        var rng = new RandomStream(7);
        using var net = new ScoreNet(2, 16, 2, rng.Child("init"));
        float[] before = net.FlatParameters();
        var data = new Points(Enumerable.Range(0, 200).Select(i => Math.Sin(i)).ToArray(), 2);
        var training = new TrainingDefinition(new DsmObjective(1.0), 1e-2, 32, 1, null);

        var record = DsmTrainer.Train(net, data, training, steps: 1, rng.Child("train"));

        float[] after = net.FlatParameters();
        Assert.Equal(1, record.Steps);
        Assert.True(double.IsFinite(record.Loss[0]));
        Assert.Equal(before.Length, after.Length);
        Assert.Contains(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
    }
}
