using System.Diagnostics;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;
using Repro.Results;
using Repro.Training;

namespace Repro.Runs;

/// <summary>
/// One experiment × one training seed: draw the training set, train the score network, run every
/// reconstruction, and write the raw results under
/// <see cref="RunOptions.SeedFolder"/>. Every draw comes from named children of the seed's
/// stream: <c>data</c>, <c>init</c>, <c>train</c>, <c>floor</c>, <c>reconstruct/NAME/…</c>. Units announced by
/// <see cref="Plan"/> whose networks share a shape are trained together as one ensemble, with the same results.
/// </summary>
public sealed class ExperimentRunner(RunOptions options)
{
    /// <summary>Particles advanced together per sampler call (noise does not depend on it).</summary>
    public int ChunkSize { get; init; } = 2048;

    /// <summary>Monte Carlo size of the loss floor where it is not integrated on a grid (d &gt; 2).</summary>
    public int FloorSamples { get; init; } = 200_000;

    /// <summary>
    /// At most this many networks are trained together in one ensemble (<see cref="Plan"/>); 1 trains every unit
    /// alone. Results do not depend on it, only speed does (<c>make bench</c>: per network-step 0.59× the single
    /// network at E = 3, 0.50× at E = 8).
    /// </summary>
    public int MaxEnsemble { get; init; } = 8;

    EnsembleTraining? _ensembles;

    /// <summary>
    /// Tells the runner which units it is about to be asked for (<see cref="Run"/>, in any order, from any thread),
    /// so that those whose networks share a shape train as one ensemble (<see cref="EnsembleTraining"/>): the seeds of
    /// an experiment and its sweep variants of the same width. Optional: a unit not planned trains alone. A unit's
    /// results are the same bytes either way (timings apart), whichever units share its ensemble.
    /// </summary>
    public void Plan(IEnumerable<Plan.RunUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        _ensembles = new EnsembleTraining(options, TrainingSettings, (d, s) => Identity(d, s));
        _ensembles.Plan(units.Where(u => u.Quick == options.Quick), MaxEnsemble);
    }

    /// <summary>
    /// <paramref name="units"/> cut into the batches a worker of <c>--jobs</c> takes whole: each ensemble that
    /// <see cref="Plan"/> would make (trained once, in one graph, by whichever worker takes it) and every other unit
    /// alone, in order of each batch's first unit.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Plan.RunUnit>> Batches(IReadOnlyList<Plan.RunUnit> units)
    {
        var batchOf = new Dictionary<Plan.RunUnit, Plan.RunUnit[]>(ReferenceEqualityComparer.Instance);
        foreach (var group in EnsembleTraining.Groups(units.Where(u => u.Quick == options.Quick), MaxEnsemble))
            foreach (var u in group) batchOf[u] = group;
        var batches = new List<IReadOnlyList<Plan.RunUnit>>();
        var taken = new HashSet<Plan.RunUnit[]>(ReferenceEqualityComparer.Instance);
        foreach (var u in units)
            if (!batchOf.TryGetValue(u, out var group)) batches.Add([u]);
            else if (taken.Add(group)) batches.Add(group);
        return batches;
    }

    /// <summary>The σ (halved by the wrong-σ fault) and step count (1 for the untrained fault, the quick count when quick) a unit trains with.</summary>
    (TrainingDefinition TrainAt, int Steps) TrainingSettings(ExperimentDefinition definition)
    {
        var training = definition.Training ?? throw new InvalidOperationException($"{definition.Name} trains nothing");
        int steps = options.Fault == Fault.Untrained ? 1
            : options.Quick ? Math.Min(definition.Quick.TrainingSteps, training.Steps) : training.Steps;
        var trainAt = options.Fault == Fault.WrongSigma ? training.WithSigma(training.Sigma / 2) : training;
        return (trainAt, steps);
    }

    /// <summary>
    /// Runs one seed, or restores it from <see cref="RunOptions.Cache"/> when an entry of the same
    /// <see cref="SeedIdentity"/> is there and whole; <paramref name="progress"/> receives (stage, fraction
    /// done). A computed seed starts from an empty folder (nothing is reused from the results
    /// folder) and is stored in the cache once finished. The seed is written into a hidden sibling
    /// and swapped in only when complete (<see cref="StagedSeedFolder"/>): a run killed or failing
    /// mid-seed leaves the previous seed folder as it was, and its leftovers go on the next run.
    /// </summary>
    public RunRecord Run(ExperimentDefinition definition, long seed, Action<string, double>? progress = null)
    {
        string folder = options.SeedFolder(definition.Name, seed);
        string versions = TorchRuntime.Versions;
        var identity = Identity(definition, seed, versions);
        string? note = null;
        string partial = Stage(folder);
        RunRecord record;
        try
        {
            RunRecord? restored = null;
            if (options.Cache is { } cache && !options.Recompute)
            {
                var found = cache.Restore(identity, partial);
                restored = found.Record is { } r ? r with { Reused = true, CacheEntry = found.Entry } : null;
                if (found.Problem is { } problem) note = $"{found.Entry}: damaged cache entry ({problem}); recomputed";
            }
            record = restored ?? Compute(definition, seed, partial, versions, progress);
            StagedSeedFolder.Commit(folder);
            if (restored is not null) return restored;
        }
        catch
        {
            StagedSeedFolder.Abandon(folder);
            throw;
        }
        if (options.Cache is not { } store) return record with { CacheNote = note };
        string? failed = store.Store(identity, folder, replace: note is not null || options.Recompute);
        return record with
        {
            CacheEntry = failed is null ? store.EntryOf(identity) : null,
            CacheNote = failed is null ? note : string.Join("; ", new[] { note, $"{store.EntryOf(identity)}: {failed}" }.OfType<string>()),
        };
    }

    /// <summary>An empty staging folder for the seed, after cleaning a killed run's leftovers.</summary>
    /// <exception cref="Core.InputException">The folder cannot be made (a file in its place, no permission).</exception>
    static string Stage(string folder)
    {
        try
        {
            if (File.Exists(folder)) throw new IOException("a file is in its place");
            return StagedSeedFolder.Begin(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Core.InputException($"{folder}: cannot be made a seed folder ({e.Message})");
        }
    }

    /// <summary>Everything that shapes the numbers of <paramref name="seed"/>: the key of its cache entry.</summary>
    public SeedIdentity Identity(ExperimentDefinition definition, long seed, string? versions = null) =>
        new(definition.Name, seed, definition.Hash, options.Code, versions ?? TorchRuntime.Versions, options.Threads, options.Quick,
            options.FaultName, PlatformIdentity.Description);

    RunRecord Compute(ExperimentDefinition definition, long seed, string folder, string versions, Action<string, double>? progress)
    {
        var clock = Stopwatch.StartNew();
        var files = new SeedFiles(folder);
        var target = definition.Data.BuildTarget();
        var rng = new RandomStream((ulong)seed);
        var trainingSet = target.Sample(definition.Data.N, rng.Child("data"));

        ScoreNetwork? net = null;
        TrainingSummary? summary = null;
        try
        {
            if (definition.Training is { } training)
            {
                TorchRuntime.Initialise(options.Threads);
                var (trainAt, steps) = TrainingSettings(definition);
                var floor = training.Objective.Floor(target, FloorSamples, rng.Child("floor"));
                TrainingRecord record;
                if (_ensembles?.Take(definition, seed, fraction => progress?.Invoke("train (ensemble)", fraction)) is { } trained)
                    (net, record) = (trained.Network, trained.Record);
                else
                {
                    // A network fault of calibrate --runs builds the broken network from the same init stream (EGNNs and
                    // noise-conditional networks never ensemble).
                    net = options.Fault switch
                    {
                        Fault.EgnnSameEndpoint => NetworkCatalog.BuildWithDefect(definition.Model, definition.Data.Dimension, EgnnDefect.SameEndpoint, rng.Child("init")),
                        Fault.EgnnUnrotatedEdgeFeatures => NetworkCatalog.BuildWithDefect(definition.Model, definition.Data.Dimension, EgnnDefect.UnrotatedEdgeFeatures, rng.Child("init")),
                        Fault.ConstantNoiseLabel => NetworkCatalog.BuildWithConstantNoiseLabel(definition.Model, definition.Data.Dimension, rng.Child("init")),
                        _ => NetworkCatalog.Build(definition.Model, definition.Data.Dimension, rng.Child("init")),
                    };
                    record = DsmTrainer.Train(net, trainingSet, trainAt, steps, rng.Child("train"),
                        (step, _) => progress?.Invoke("train", step / (double)steps),
                        target.ConstrainsNoise ? target.ConstrainNoise : null);
                }
                files.WriteLoss(new LossTrace(record.Loss, record.LearningRate));
                if (record.Diverged)
                {
                    var failed = Record(definition, seed, versions, RunStatus.Diverged, record.DivergedAtStep, null, [], clock) with { DivergedIn = "training" };
                    files.WriteRun(failed);
                    return failed;
                }
                WeightsStore.Save(folder, net, new WeightsSidecar(definition.Hash, seed, options.Quick, options.Threads,
                    record.Steps, versions, record.FinalLoss, record.Seconds, record.StepsPerSecond) { Code = options.Code });
                summary = new TrainingSummary(record.Steps, record.FinalLoss, floor.Floor, floor.StandardError,
                    record.FinalLoss - floor.Floor, record.Seconds, record.StepsPerSecond);
            }

            var evaluator = new Evaluator(definition, target, rng.Child("evaluate"), options.Quick);
            var rows = new List<Core.Evaluation.MetricRow>();
            if (net is not null && summary is not null)
            {
                progress?.Invoke("evaluate score", 0);
                var learned = Learned(net, definition.TrainingSigma);
                rows.AddRange(evaluator.Training(seed, learned, summary.FinalLoss,
                    summary.LossFloor, summary.LossFloorStandardError, trainingSet, files));
            }
            var reconstructions = new List<ReconstructionSummary>();
            foreach (var rec in definition.Reconstructions)
            {
                progress?.Invoke("sample " + rec.Name, 0);
                var (reconstruction, samples, rejection, drift, divergedAt, ladder) = Reconstruct(definition, rec, target, net, rng.Child("reconstruct").Child(rec.Name), files,
                    evaluator.ReferenceSize, fraction => progress?.Invoke("sample " + rec.Name, fraction));
                reconstructions.Add(reconstruction);
                if (divergedAt is not null)
                {
                    // A sampler whose particles left every finite value (a step too large for the
                    // score, a score that explodes): recorded like a diverged training, no metrics.
                    var failed = Record(definition, seed, versions, RunStatus.Diverged, divergedAt, summary, reconstructions, clock)
                        with { DivergedIn = "sampling " + rec.Name };
                    files.WriteRun(failed);
                    return failed;
                }
                progress?.Invoke("evaluate " + rec.Name, 0);
                rows.AddRange(evaluator.Reconstruction(seed, rec, samples));
                if (rejection is { } mh)
                    rows.Add(new Core.Evaluation.MetricRow(definition.Name, seed, rec.Name, Evaluator.PSigma, MetricNames.MhRejection, mh));
                if (drift is { } com)
                    rows.Add(new Core.Evaluation.MetricRow(definition.Name, seed, rec.Name, Evaluator.PSigma, MetricNames.ComDrift, com));
                string aimed = rec.Sampler.TargetSigma(definition.ScoreSigma(rec.Score)) == 0 ? Evaluator.P0 : Evaluator.PSigma;
                for (int k = 0; k < ladder.Count; k++)
                {
                    rows.Add(new Core.Evaluation.MetricRow(definition.Name, seed, rec.Name, aimed, StepLadderMetric.Evaluations.Format(k + 1), ladder[k].Evaluations));
                    rows.Add(new Core.Evaluation.MetricRow(definition.Name, seed, rec.Name, aimed, StepLadderMetric.Distance.Format(k + 1), ladder[k].Ks));
                }
            }
            evaluator.WriteReference(files);
            files.WriteMetrics(rows);

            var done = Record(definition, seed, versions, RunStatus.Ok, null, summary, reconstructions, clock);
            files.WriteRun(done);
            return done;
        }
        finally
        {
            net?.Dispose();
        }
    }

    RunRecord Record(ExperimentDefinition d, long seed, string versions, RunStatus status, int? divergedAt,
        TrainingSummary? training, IReadOnlyList<ReconstructionSummary> reconstructions, Stopwatch clock) => new()
    {
        Experiment = d.Name,
        DefinitionHash = d.Hash,
        Seed = seed,
        Quick = options.Quick,
        Threads = options.Threads,
        Versions = versions,
        Code = options.Code,
        Status = status,
        DivergedAtStep = divergedAt,
        Training = training,
        Reconstructions = reconstructions,
        Seconds = clock.Elapsed.TotalSeconds,
    };

    IScoreSource Learned(ScoreNetwork net, double sigma)
    {
        var learned = new LearnedScore(net, sigma);
        return options.Fault == Fault.FlippedScore ? new NegatedScore(learned) : learned;
    }

    /// <summary>
    /// What sampling one reconstruction gave: its summary, the particles, the Metropolis check (exact score only), the
    /// centre-of-mass drift (data on the zero-centre-of-mass subspace only), and the step it diverged at, if it did.
    /// </summary>
    /// The step ladder's rungs (<see cref="ReconstructionDefinition.StepLadder"/>; empty without one).
    sealed record Sampled(ReconstructionSummary Summary, Points Samples, double? MhRejection, double? ComDrift, int? DivergedAt,
        IReadOnlyList<(int Evaluations, double Ks)> Ladder);

    Sampled Reconstruct(ExperimentDefinition definition, ReconstructionDefinition rec, Mixture target,
        ScoreNetwork? net, RandomStream rng, SeedFiles files, int referenceSize, Action<double> progress)
    {
        var clock = Stopwatch.StartNew();
        double sigma = definition.ScoreSigma(rec.Score);
        IScoreSource score = rec.Score.Source == ScoreSourceDefinition.Learned
            ? Learned(net ?? throw new InvalidOperationException("learned score without a trained network"), sigma)
            : new ExactScore(target, sigma);
        int particles = options.Quick ? Math.Min(rec.Particles, definition.Quick.Particles) : rec.Particles;
        var start = rec.Start.Draw(target, particles, rng.Child("start"));
        if (target.ConstrainsNoise)
            for (int i = 0; i < start.Count; i++) target.ConstrainNoise(start[i]); // start in the state space
        files.WriteStart(rec.Name, start);

        SamplerDefinition Defined(SamplerDefinition d) =>
            (options.Fault == Fault.LargeStep ? d.WithStepScale(10) : d).WithDefect(options.Fault.SamplerDefect());
        var sampler = Defined(rec.Sampler).CreateSampler();
        // A target on a subspace (zero centre of mass) keeps the particles there: the noise is projected.
        var noise = new CounterNoise(rng.Child("noise")) { Projection = target.ConstrainsNoise ? target.ConstrainNoise : null };
        var samples = start.Clone();
        int d = samples.Dimension, track = Math.Min(rec.Track, particles);
        // Tracked states at most every `stride` steps (≤ 200 intervals): enough to draw a path,
        // small enough to commit with the report.
        int stride = Math.Max(1, (sampler.Steps + 199) / 200);
        var trajectory = new SortedDictionary<int, double[]>();
        // With the exact score, every Langevin move is also judged by the Metropolis–Hastings
        // ratio it would face under the exact p_σ: how far the step is from exact.
        var check = rec.Score.Source == ScoreSourceDefinition.Exact && rec.Sampler.MakesLangevinMoves
            ? new MetropolisCheck(target, sampler, sigma, particles) : null;
        var moments = rec.Sampler.MakesLangevinMoves && particles >= 2 ? new MomentTrace(particles, d, sampler.Steps, stride) : null;
        // Clouds on the zero-centre-of-mass subspace: how far any particle leaves it at any step.
        var drift = definition.Data.Particles is { } shape && target.ConstrainsNoise ? new CentreOfMassDrift(shape.Count, shape.Space) : null;
        // Diverged: the first step at which any particle coordinate leaves [−bound, bound] or is not
        // finite (NaN fails the comparison). Checked at every step, so a chain that blows up and
        // then freezes (an overflowed score reads 0) cannot end looking settled.
        double bound = rec.DivergenceBound
            ?? ReconstructionDefinition.DefaultDivergenceBound(target, Smoothing.Gaussian(rec.Sampler.TargetSigma(sigma)), start);
        int? divergedAt = null;
        for (int first = 0; first < particles; first += ChunkSize)
        {
            int count = Math.Min(ChunkSize, particles - first);
            var chunk = samples.Slice(first, count);
            int tracked = Math.Clamp(track - first, 0, count);
            Action<int, Points>? record = tracked == 0 ? null : (step, x) =>
            {
                if (step % stride != 0 && step != sampler.Steps) return;
                if (!trajectory.TryGetValue(step, out var state)) trajectory[step] = state = new double[track * d];
                Array.Copy(x.Data, 0, state, first * d, tracked * d);
            };
            record += (step, x) =>
            {
                if (divergedAt <= step) return;
                foreach (double v in x.Data)
                    if (!(Math.Abs(v) <= bound)) { divergedAt = step; return; }
            };
            record += check?.Observer(first);
            record += moments?.Observer(first);
            record += drift?.Observer();
            sampler.Run(score, chunk, first, noise, record);
            Array.Copy(chunk.Data, 0, samples.Data, first * d, count * d);
            progress((first + count) / (double)particles);
        }
        files.WriteSamples(rec.Name, samples);
        var ladder = new List<(int Evaluations, double Ks)>();
        if (rec.StepLadder.Count > 0 && divergedAt is null)
        {
            // The same sampler on a coarser grid, from the same start with the same noise keys, on the particles the
            // evaluator judges (its first referenceSize): each particle's path depends on nothing else, so the last
            // rung's samples are exactly the reconstruction's.
            var smoothing = Smoothing.Gaussian(rec.Sampler.TargetSigma(sigma));
            int judged = Math.Min(referenceSize, particles);
            foreach (double factor in rec.StepLadder)
            {
                var coarse = Defined(rec.Sampler.WithStepScale(1 / factor)).CreateSampler(); // a step 1/f as large: f·N intervals
                var x = start.Slice(0, judged);
                for (int first = 0; first < judged; first += ChunkSize)
                {
                    int count = Math.Min(ChunkSize, judged - first);
                    var chunk = x.Slice(first, count);
                    coarse.Run(score, chunk, first, noise, null);
                    Array.Copy(chunk.Data, 0, x.Data, first * d, count * d);
                }
                ladder.Add((coarse.Steps, StepLadderMetric.Statistic(x, target, smoothing)));
            }
            ladder.Add((sampler.Steps, StepLadderMetric.Statistic(samples.Slice(0, judged), target, smoothing)));
        }
        if (moments is not null) files.WriteMoments(rec.Name, new MomentsTable(d, moments.Moments().ToList()));
        if (track > 0)
            files.WriteTrajectories(rec.Name, new TrajectoriesTable(trajectory.Keys.ToArray(), trajectory.Values.Select(state => new Points(state, d)).ToArray()));
        return new Sampled(new ReconstructionSummary(rec.Name, particles, sampler.Steps, clock.Elapsed.TotalSeconds, sigma), samples, check?.MeanRejection, drift?.Max, divergedAt, ladder);
    }
}
