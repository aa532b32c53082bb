using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Training.Tests;

/// <summary>
/// The ensemble trainer's guarantee, bit for bit: a member's loss trace, learning-rate trace, divergence step and
/// weights do not depend on which other members share its ensemble, nor on E; and the E = 1 stack trains the
/// single network <see cref="DsmTrainer"/> trains.
/// </summary>
public sealed class EnsembleDsmTrainerTests
{
    const int Hidden = 16, Layers = 3, Batch = 64, Steps = 120;

    static Points Data(ulong seed, int n, int d, double scale)
    {
        var rng = new RandomStream(seed).Child("data");
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = scale * rng.NextGaussian();
        return new Points(x, d);
    }

    /// <summary>A member as the runner builds one: data, init and train streams from its seed.</summary>
    sealed record Spec(ulong Seed, TrainingDefinition Training, int N = 500, double Scale = 2.0);

    static TrainingDefinition Dsm(double sigma, double lr, SchedulerDefinition? scheduler) =>
        new(new DsmObjective(sigma), lr, Batch, Steps, scheduler);

    static (IReadOnlyList<TrainingRecord> Records, float[][] Weights) TrainEnsemble(IReadOnlyList<Spec> specs, int d, int hidden = Hidden, int batch = Batch, NoiseProjection? projection = null)
    {
        TorchRuntime.Initialise(1);
        var roots = specs.Select(s => new RandomStream(s.Seed)).ToArray();
        using var net = new EnsembleScoreNet(d, hidden, Layers, roots.Select(r => r.Child("init")).ToArray());
        var members = specs.Select((s, e) => new EnsembleMember(Data(s.Seed, s.N, d, s.Scale), s.Training, roots[e].Child("train"), projection)).ToArray();
        var records = EnsembleDsmTrainer.Train(net, members, batch, Steps);
        var weights = Enumerable.Range(0, specs.Count).Select(e =>
        {
            using var member = net.Member(e);
            return member.FlatParameters();
        }).ToArray();
        return (records, weights);
    }

    static void AssertSame(TrainingRecord expected, float[] expectedWeights, TrainingRecord actual, float[] actualWeights, string what)
    {
        Assert.True(expected.Loss.SequenceEqual(actual.Loss), $"{what}: loss traces differ (first at step {FirstDifference(expected.Loss, actual.Loss) + 1})");
        Assert.True(expected.LearningRate.SequenceEqual(actual.LearningRate), $"{what}: learning-rate traces differ");
        Assert.Equal(expected.DivergedAtStep, actual.DivergedAtStep);
        int w = FirstDifference(expectedWeights, actualWeights);
        Assert.True(w < 0, $"{what}: weights differ, first at {w}: {(w >= 0 && w < expectedWeights.Length ? expectedWeights[w] : float.NaN):R} vs {(w >= 0 && w < actualWeights.Length ? actualWeights[w] : float.NaN):R}");
    }

    static int FirstDifference<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
            if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return i;
        return a.Count == b.Count ? -1 : Math.Min(a.Count, b.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]   // first and last layers of width 1: run member by member (EnsembleScoreNet.Product)
    public void A_member_trains_bit_for_bit_as_it_trains_alone_whoever_shares_its_ensemble(int d)
    {
        // Different seeds (init, data, noise), σ, learning rates, schedules (so the members' rates part
        // company within the run), data scales, training-set sizes; one member diverges.
        var plateau = new SchedulerDefinition(0.5, 10, 1);
        Spec[] specs =
        [
            new(1, Dsm(1.25, 5e-3, plateau)),
            new(2, Dsm(0.5, 2e-3, new SchedulerDefinition(0.3, 4, 3)), N: 300),
            new(3, Dsm(2.0, 1e-2, null), Scale: 5.0),
            new(4, Dsm(1.0, 1e30, null)),
            new(5, Dsm(1.25, 5e-3, plateau)),
        ];
        var together = TrainEnsemble(specs, d);
        Assert.Contains(together.Records, r => r.Diverged);
        Assert.Contains(together.Records, r => r.LearningRate.Distinct().Count() > 1);
        for (int e = 0; e < specs.Length; e++)
        {
            var alone = TrainEnsemble([specs[e]], d);
            AssertSame(alone.Records[0], alone.Weights[0], together.Records[e], together.Weights[e], $"member {e}");
        }
        // And in another company, at another place in the stack.
        var other = TrainEnsemble([specs[4], specs[2]], d);
        AssertSame(together.Records[4], together.Weights[4], other.Records[0], other.Weights[0], "member 4 with member 2 only");
        AssertSame(together.Records[2], together.Weights[2], other.Records[1], other.Weights[1], "member 2 with member 4 only");
    }

    [Theory]
    [InlineData(2, 64, 256, false, 1)]   // the seed's network, batch and schedule (stepped on every minibatch loss)
    [InlineData(1, 64, 256, false, 1)]   // the seed's 1D experiment
    [InlineData(12, 16, 100, true, 3)]   // 4 points in R³, noise projected to zero centre of mass; B·d not a multiple of 16
    public void The_one_member_stack_trains_the_single_network_bit_for_bit(int d, int hidden, int batch, bool projected, int window)
    {
        var training = new TrainingDefinition(new DsmObjective(1.25), 5e-3, batch, Steps, new SchedulerDefinition(0.5, 10, window));
        NoiseProjection? projection = projected
            ? new Mixture([1.0], [new CentredGaussianCloudComponent(d / 3, 1.0)]).ConstrainNoise
            : null;
        var spec = new Spec(7, training);
        var stacked = TrainEnsemble([spec], d, hidden, batch, projection);

        TorchRuntime.Initialise(1);
        var root = new RandomStream(spec.Seed);
        using var single = new ScoreNet(d, hidden, Layers, root.Child("init"));
        var record = DsmTrainer.Train(single, Data(spec.Seed, spec.N, d, spec.Scale), training, Steps, root.Child("train"), projection: projection);

        Assert.True(record.LearningRate.Distinct().Count() > 1, "the schedule never lowered the rate: the test would not check it");
        AssertSame(record, single.FlatParameters(), stacked.Records[0], stacked.Weights[0], "E = 1 against DsmTrainer");
    }

    [Fact]
    public void A_member_starts_from_the_weights_its_seed_gives_a_single_network()
    {
        TorchRuntime.Initialise(1);
        var init = new[] { new RandomStream(11).Child("init"), new RandomStream(12).Child("init") };
        using var net = new EnsembleScoreNet(3, 8, 2, init);
        for (int e = 0; e < 2; e++)
        {
            using var member = net.Member(e);
            using var single = new ScoreNet(3, 8, 2, new RandomStream(11UL + (ulong)e).Child("init"));
            Assert.Equal(single.FlatParameters(), member.FlatParameters());
        }
    }
}
