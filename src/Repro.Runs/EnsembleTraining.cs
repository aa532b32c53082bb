using Repro.Core.Definitions;
using Repro.Core.Random;
using Repro.Results;
using Repro.Runs.Plan;
using Repro.Training;

namespace Repro.Runs;

/// <summary>
/// The runner's ensembles: the units it is given (<see cref="ExperimentRunner.Plan"/>) whose networks share a
/// shape (the seed's MLP without conditioning, trained by DSM at one σ, of equal dimension, width, depth, batch and
/// step count: the seeds of an experiment and sweep variants that change σ, the learning rate or its schedule) are
/// grouped, at most <see cref="ExperimentRunner.MaxEnsemble"/> to a group, in plan order. The first unit of a group
/// that has to be computed trains every member of its group that the local cache does not hold, as one ensemble
/// (<see cref="EnsembleDsmTrainer"/>); the others take their trained network from it. Each member is seeded exactly as
/// its unit alone (data, init, train streams of its own seed), and by the trainer's guarantee a member's result does
/// not depend on which members share its ensemble: a unit's bytes are those of the same unit trained alone
/// (<see cref="DsmTrainer"/>), whichever units a run, a shard or a job is given.
/// </summary>
/// <param name="options">The runner's options (threads, cache).</param>
/// <param name="settings">What a unit trains with: the runner's σ (a calibration fault may change it) and step count.</param>
/// <param name="identity">A unit's cache identity.</param>
internal sealed class EnsembleTraining(RunOptions options, Func<ExperimentDefinition, (TrainingDefinition TrainAt, int Steps)> settings,
    Func<ExperimentDefinition, long, SeedIdentity> identity)
{
    /// <summary>One unit's trained network (owned by the unit that takes it) and its record.</summary>
    internal sealed record Trained(ScoreNetwork Network, TrainingRecord Record);

    sealed class Group(IReadOnlyList<RunUnit> units)
    {
        public IReadOnlyList<RunUnit> Units { get; } = units;
        public Lock Gate { get; } = new();
        public bool Started { get; set; }
        public Dictionary<(string Name, long Seed), Trained> Results { get; } = [];
    }

    readonly Dictionary<(string Name, string Hash, long Seed), Group> _groups = [];

    /// <summary>Groups <paramref name="units"/> (replacing any earlier plan) into ensembles of at most <paramref name="maxMembers"/>.</summary>
    public void Plan(IEnumerable<RunUnit> units, int maxMembers)
    {
        _groups.Clear();
        foreach (var chunk in Groups(units, maxMembers))
        {
            var group = new Group(chunk);
            foreach (var u in chunk) _groups[(u.Definition.Name, u.Definition.Hash, u.Seed)] = group;
        }
    }

    /// <summary>The ensembles <see cref="Plan"/> makes of <paramref name="units"/> (two members or more each), in order of their first member.</summary>
    public static IReadOnlyList<RunUnit[]> Groups(IEnumerable<RunUnit> units, int maxMembers) =>
        maxMembers < 2 ? []
        : units.Where(u => Key(u.Definition) is not null).GroupBy(u => Key(u.Definition))
            .SelectMany(shape => shape.Chunk(maxMembers)).Where(chunk => chunk.Length >= 2).ToArray();

    /// <summary>
    /// The shape an ensemble needs its members to share, or null when the unit's network is not ensembled (no
    /// training, another backbone, a noise-conditional network, another objective: those train alone).
    /// </summary>
    static string? Key(ExperimentDefinition d) =>
        d.Training is { Objective: DsmObjective } t && d.Model is MlpDefinition { Conditioning: NoConditioning } m
            ? $"{d.Data.Dimension}|{m.Hidden}|{m.Layers}|{Math.Min(t.BatchSize, d.Data.N)}|{t.Steps}|{d.Quick.TrainingSteps}"
            : null;

    /// <summary>
    /// The network of (<paramref name="definition"/>, <paramref name="seed"/>) trained in its ensemble (training the
    /// ensemble first when no member of the group has), or null when the unit is not in a group with another unit
    /// still to compute: it then trains alone, with the same result. Thread-safe: a unit whose group another
    /// thread is training waits for it.
    /// </summary>
    public Trained? Take(ExperimentDefinition definition, long seed, Action<double>? progress)
    {
        if (!_groups.TryGetValue((definition.Name, definition.Hash, seed), out var group)) return null;
        lock (group.Gate)
        {
            if (!group.Started)
            {
                group.Started = true;
                // Members the local cache holds are restored, not trained (a damaged entry trains alone later).
                var pending = group.Units.Where(u => (u.Definition.Name == definition.Name && u.Seed == seed) || !Cached(u)).ToArray();
                if (pending.Length >= 2) Train(pending, group.Results, progress);
            }
            return group.Results.Remove((definition.Name, seed), out var trained) ? trained : null;
        }
    }

    bool Cached(RunUnit unit) =>
        options.Cache is { } cache && !options.Recompute && Directory.Exists(cache.EntryOf(identity(unit.Definition, unit.Seed)));

    void Train(IReadOnlyList<RunUnit> units, Dictionary<(string Name, long Seed), Trained> results, Action<double>? progress)
    {
        TorchRuntime.Initialise(options.Threads);
        var first = units[0].Definition;
        var model = (MlpDefinition)first.Model;
        int steps = settings(first).Steps;
        var members = new List<EnsembleMember>();
        var init = new List<RandomStream>();
        foreach (var unit in units)
        {
            // The streams ExperimentRunner gives the unit when it trains alone.
            var target = unit.Definition.Data.BuildTarget();
            var rng = new RandomStream((ulong)unit.Seed);
            var trainingSet = target.Sample(unit.Definition.Data.N, rng.Child("data"));
            init.Add(rng.Child("init"));
            members.Add(new EnsembleMember(trainingSet, settings(unit.Definition).TrainAt, rng.Child("train"),
                target.ConstrainsNoise ? target.ConstrainNoise : null));
        }
        using var network = new EnsembleScoreNet(first.Data.Dimension, model.Hidden, model.Layers, init);
        var records = EnsembleDsmTrainer.Train(network, members, members[0].Training.BatchSize, steps,
            step => progress?.Invoke(step / (double)steps));
        for (int e = 0; e < units.Count; e++)
            results[(units[e].Definition.Name, units[e].Seed)] = new Trained(network.Member(e), records[e]);
    }
}
