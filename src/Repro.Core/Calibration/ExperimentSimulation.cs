using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Calibration;

/// <summary>
/// The simulations of one experiment for <see cref="GateCalibrator"/>: null and fault replicates of
/// every gated reconstruction and of the training gates, each replicate's statistics computed
/// once and shared by every gate that reads them. Stream children: <c>iid</c>, <c>sampler</c>,
/// <c>fault</c>, <c>training</c>, each by σ or reconstruction, fault and replicate.
/// </summary>
internal sealed class ExperimentSimulation
{
    readonly ExperimentDefinition _definition;
    readonly Mixture _target;
    readonly CalibrationSizes _sizes;
    readonly RandomStream _rng;
    readonly Action<string>? _progress;
    readonly Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>> _cache = new();

    const string NoFault = "none";

    public ExperimentSimulation(ExperimentDefinition definition, CalibrationSizes sizes, RandomStream rng, Action<string>? progress)
    {
        _definition = definition;
        _target = definition.Data.BuildTarget();
        _sizes = sizes;
        _rng = rng;
        _progress = progress;
    }

    bool Trained => _definition.Training is not null;

    ReconstructionDefinition Reconstruction(GateDefinition gate) =>
        _definition.Reconstructions.First(r => r.Name == gate.Reconstruction);

    double TargetSigma(ReconstructionDefinition rec) => rec.Sampler.TargetSigma(_definition.ScoreSigma(rec.Score));

    double ReferenceSigma(GateDefinition gate, ReconstructionDefinition rec) => gate.Reference == GateDefinition.P0 ? 0 : TargetSigma(rec);

    int SampleSize(ReconstructionDefinition rec) => Math.Min(rec.Particles, _definition.Evaluation.ReferenceSize);

    static bool IsPValue(string metric) => metric.EndsWith("-pvalue", StringComparison.Ordinal);

    /// <summary>True for a metric the sampler run measures (Metropolis rejection, centre-of-mass drift): its null is the exact-score sampler, not exact draws.</summary>
    static bool MeasuredBySampler(string metric) => MetricCatalog.Default.Find(metric)?.Metric.Scope == MetricScope.Sampler;

    /// <summary>Calibrates one gate: its null, implied rate and allowance, or the reason it cannot be calibrated.</summary>
    public (GateCalibration? Calibration, string? Problem) Calibrate(GateDefinition gate, int instances, double alpha)
    {
        string key = GateCalibrator.Key(gate);
        IReadOnlyList<double> values;
        string nullKind;
        bool trueNull = false;
        if (gate.Reconstruction == MetricNames.TrainingReconstruction)
        {
            values = TrainingValues(gate.Metric, NoFault);
            if (values.Count == 0)
                return (null, $"training metric {gate.Metric} is not simulated by calibrate for objective \"{_definition.Training?.Objective.KindName}\"; it cannot be a gate");
            nullKind = GateCalibration.ExactScoreNull;
        }
        else
        {
            var rec = Reconstruction(gate);
            bool exact = rec.Score.Source == ScoreSourceDefinition.Exact;
            if (IsPValue(gate.Metric) && !exact)
                return (null, "a p-value gate on a learned reconstruction has a false null by construction (a finite network is never exactly ∇log p_σ); gate a tolerance on the statistic instead");
            trueNull = IsPValue(gate.Metric) && gate.Comparator == ">=";
            bool iid = Trained && !MeasuredBySampler(gate.Metric);
            nullKind = iid ? GateCalibration.IidNull : GateCalibration.SamplerNull;
            var stats = iid ? IidStatistics(rec, NoFault, ReferenceSigma(gate, rec), _sizes.NullReplicates)
                : SamplerStatistics(rec, NoFault, ReferenceSigma(gate, rec), _sizes.SamplerReplicates);
            if (stats.Count > 0 && !stats[0].ContainsKey(gate.Metric))
                return (null, $"metric {gate.Metric} is not simulated by calibrate (too costly to simulate at the pinned sizes, or not a sample statistic); it cannot be a gate");
            values = stats.Select(s => s[gate.Metric]).ToArray();
        }
        if (gate.ExpectsFailure) return ExpectedFailure(gate, key, instances, alpha, values, nullKind);
        int failures = values.Count(v => !gate.Passes(v));
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        double quantile = GateCalibrator.FailingQuantile(values, gate.Comparator, alpha);
        double empirical = failures / (double)values.Count;
        // A valid p-value fails at rate ≤ its threshold; the simulated count is tested for that
        // validity below (a few failures in R draws are noise, not a rate above the threshold).
        double implied = trueNull ? gate.Threshold
            : Math.Max(empirical, GateCalibrator.NormalTail(mean, sd, gate.Threshold, gate.Comparator));
        double? allowance = trueNull ? null : gate.Comparator == "<=" ? gate.Threshold - quantile : quantile - gate.Threshold;
        string? problem = null;
        if (trueNull)
        {
            // A valid p-value has P(p ≤ t) ≤ t: more failures than Binomial(R, t)'s 99.9% point say it is not valid.
            int critical = 0;
            while (MathNet.Numerics.Distributions.Binomial.CDF(gate.Threshold, values.Count, critical) < 0.999) critical++;
            if (failures > critical)
                problem = $"{failures}/{values.Count} null replicates reject at {gate.Threshold:G3}: more than a valid p-value allows ({critical})";
        }
        return (new GateCalibration(_definition.Name, key, gate.Comparator, gate.Threshold, instances, alpha,
            trueNull ? GateCalibration.TrueNull : GateCalibration.Tolerance, nullKind, values.Count, failures, mean, sd, quantile,
            implied, allowance), problem);
    }

    /// <summary>
    /// A control's gate (<see cref="GateDefinition.ExpectsFailure"/>): the simulation has the exact score, which is the
    /// alternative the control must not reach, so it checks that the exact score meets the threshold in every replicate
    /// (otherwise the gate could not tell a control that lost its defect from one that kept it). The control's own false
    /// alarm, meeting the threshold it must miss, needs the trained control, which the exact truth cannot simulate:
    /// <c>calibrate --runs</c> measures it; the implied rate is NaN (not simulated) and the share stays reserved.
    /// </summary>
    (GateCalibration, string?) ExpectedFailure(GateDefinition gate, string key, int instances, double alpha, IReadOnlyList<double> values, string nullKind)
    {
        int indistinct = values.Count(v => !gate.Passes(v));
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        string? problem = indistinct == 0 ? null
            : $"a control's gate must be met by the exact score (the alternative), else it cannot see a control that lost its defect: {indistinct}/{values.Count} exact-score replicates miss {gate.Comparator} {gate.Threshold:G4}";
        return (new GateCalibration(_definition.Name, key, gate.Comparator, gate.Threshold, instances, alpha, GateCalibration.ExpectedFailure,
            nullKind, values.Count, indistinct, mean, sd, GateCalibrator.FailingQuantile(values, gate.Comparator, alpha), double.NaN, null), problem);
    }

    /// <summary>Detection rates of every gate against every graded fault, plus the exact-score sampler's own false alarms.</summary>
    public IEnumerable<FaultDetection> Power()
    {
        var faults = new List<(string Name, GradedFault? Fault)> { ("exact sampler", null) };
        faults.AddRange(GradedFault.Standard.Select(f => (f.Name, (GradedFault?)f)));
        foreach (var (name, fault) in faults)
            foreach (var gate in _definition.Gates)
            {
                // A control's gate judges the control, not faults of a correct score: it sees none of them.
                if (gate.ExpectsFailure)
                {
                    yield return new FaultDetection(_definition.Name, name, GateCalibrator.Key(gate), 0, 0);
                    continue;
                }
                var values = FaultValues(gate, fault);
                yield return new FaultDetection(_definition.Name, name, GateCalibrator.Key(gate), values.Count, values.Count(v => !gate.Passes(v)));
            }
    }

    /// <summary>The gate's statistic under a fault (null fault: the configured sampler on the exact score); empty when the gate cannot see it.</summary>
    IReadOnlyList<double> FaultValues(GateDefinition gate, GradedFault? fault)
    {
        if (gate.Reconstruction == MetricNames.TrainingReconstruction)
            return fault is null || fault.StepFactor != 1 ? [] : TrainingValues(gate.Metric, fault.Name);
        var rec = Reconstruction(gate);
        if (IsPValue(gate.Metric) && rec.Score.Source != ScoreSourceDefinition.Exact) return [];
        IReadOnlyList<IReadOnlyDictionary<string, double>> stats;
        if (fault is null || fault.IsSamplerFault)
        {
            if (!rec.Sampler.MakesLangevinMoves) return [];
            stats = SamplerStatistics(rec, fault?.Name ?? NoFault, ReferenceSigma(gate, rec),
                fault is null ? _sizes.SamplerReplicates : _sizes.SamplerFaultReplicates);
        }
        else
        {
            if (!Trained || MeasuredBySampler(gate.Metric)) return [];
            stats = IidStatistics(rec, fault.Name, ReferenceSigma(gate, rec), _sizes.FaultReplicates);
        }
        return stats.Where(s => s.ContainsKey(gate.Metric)).Select(s => s[gate.Metric]).ToArray();
    }

    /// <summary>The law a fault's reconstruction is drawn from exactly, and its σ.</summary>
    (Mixture Law, double Sigma) FaultLaw(GradedFault? fault, double sigma)
    {
        if (fault is null) return (_target, sigma);
        var weights = _target.Weights.ToArray();
        if (fault.WeightLeak > 0 && weights.Length > 1)
        {
            double moved = Math.Min(fault.WeightLeak, weights[^1]);
            weights[0] += moved;
            weights[^1] -= moved;
        }
        return (new Mixture(weights, _target.Components), sigma * fault.SigmaFactor);
    }

    static GradedFault? Named(string name) => GradedFault.Standard.FirstOrDefault(f => f.Name == name);

    /// <summary>Statistics of R exact draws of the reconstruction's (possibly faulty) law against the reference at σ_ref.</summary>
    IReadOnlyList<IReadOnlyDictionary<string, double>> IidStatistics(ReconstructionDefinition rec, string fault, double referenceSigma, int replicates)
    {
        double sigma = TargetSigma(rec);
        int n = SampleSize(rec);
        string key = $"iid|{fault}|{GateCalibrator.Format(sigma)}|{n}|{GateCalibrator.Format(referenceSigma)}|{replicates}";
        if (_cache.TryGetValue(key, out var cached)) return cached;
        _progress?.Invoke($"{_definition.Name}: {replicates} exact draws of {(fault == NoFault ? "p_σ" : fault)} (n = {n})");
        var (law, lawSigma) = FaultLaw(Named(fault), sigma);
        var stream = _rng.Child("iid").Child(fault).Child(GateCalibrator.Format(sigma)).Child(n);
        var result = new IReadOnlyDictionary<string, double>[replicates];
        for (int r = 0; r < replicates; r++)
        {
            var x = law.Sample(n, Smoothing.Gaussian(lawSigma), stream.Child(r));
            result[r] = GateCalibrator.SampleStatistics(_target, x, referenceSigma);
        }
        return _cache[key] = result;
    }

    /// <summary>Statistics of R runs of the reconstruction's start and sampler on the exact score (or a sampler fault of it).</summary>
    IReadOnlyList<IReadOnlyDictionary<string, double>> SamplerStatistics(ReconstructionDefinition rec, string fault, double referenceSigma, int replicates)
    {
        string config = $"{rec.Start}|{rec.Sampler}|{rec.Particles}|{GateCalibrator.Format(_definition.ScoreSigma(rec.Score))}";
        string key = $"sampler|{fault}|{config}|{GateCalibrator.Format(referenceSigma)}|{replicates}";
        if (_cache.TryGetValue(key, out var cached)) return cached;
        string runsKey = $"runs|{fault}|{config}|{replicates}";
        if (!_runs.TryGetValue(runsKey, out var runs))
        {
            _progress?.Invoke($"{_definition.Name}: {replicates} exact-score runs of {rec.Name} ({(fault == NoFault ? "no fault" : fault)})");
            var f = Named(fault);
            double scoreSigma = _definition.ScoreSigma(rec.Score);
            IScoreSource score = new ExactScore(_target, scoreSigma);
            if (f is { ScoreFactor: not 1 }) score = new ScaledScore(score, f.ScoreFactor);
            var samplerDefinition = f is { StepFactor: not 1 } ? rec.Sampler.WithStepScale(f.StepFactor) : rec.Sampler;
            // Keyed by the configuration, not the name: a learned and an exact reconstruction with the
            // same start and sampler share their exact-score runs.
            var stream = _rng.Child("sampler").Child(fault).Child(config);
            _runs[runsKey] = runs = Enumerable.Range(0, replicates)
                .Select(r => RunSampler(rec, score, samplerDefinition, stream.Child(r))).ToArray();
        }
        var result = runs.Select(run =>
        {
            var x = run.Samples.Count > SampleSize(rec) ? run.Samples.Slice(0, SampleSize(rec)) : run.Samples;
            if (!x.Data.All(double.IsFinite)) return (IReadOnlyDictionary<string, double>)Diverged;
            var stats = new Dictionary<string, double>(GateCalibrator.SampleStatistics(_target, x, referenceSigma));
            if (double.IsFinite(run.MhRejection)) stats[MetricNames.MhRejection] = run.MhRejection;
            if (run.ComDrift is { } drift) stats[MetricNames.ComDrift] = drift;
            return stats;
        }).ToArray();
        return _cache[key] = result;
    }

    readonly Dictionary<string, (Points Samples, double MhRejection, double? ComDrift)[]> _runs = new();
    readonly Dictionary<int, double> _floors = new();

    /// <summary>
    /// Replicate r's loss floor as the runner computes it (<see cref="LossFloor.Compute"/>: by quadrature up to 2D, the
    /// same for every replicate; a fresh Monte Carlo estimate above), shared by the exact and every faulty score.
    /// </summary>
    double Floor(int r)
    {
        if (!_floors.TryGetValue(r, out double floor))
            _floors[r] = floor = LossFloor.Compute(_target, _definition.TrainingSigma, GateCalibrator.FloorSamples,
                _rng.Child("training").Child(r).Child("floor")).Floor;
        return floor;
    }

    /// <summary>A diverged run fails every gate (NaN passes none).</summary>
    static readonly IReadOnlyDictionary<string, double> Diverged = MetricNames.All.ToDictionary(m => m, _ => double.NaN);

    (Points Samples, double MhRejection, double? ComDrift) RunSampler(ReconstructionDefinition rec, IScoreSource score, SamplerDefinition samplerDefinition, RandomStream rng)
    {
        var x = rec.Start.Draw(_target, rec.Particles, rng.Child("start"));
        var sampler = samplerDefinition.CreateSampler();
        var check = samplerDefinition.MakesLangevinMoves ? new MetropolisCheck(_target, sampler, score.Sigma, x.Count) : null;
        // As the runner: data on a subspace (zero centre of mass) start there and get projected noise, with the drift recorded.
        if (_target.ConstrainsNoise)
            for (int i = 0; i < x.Count; i++) _target.ConstrainNoise(x[i]);
        var drift = _definition.Data.Particles is { } shape && _target.ConstrainsNoise ? new CentreOfMassDrift(shape.Count, shape.Space) : null;
        var noise = new CounterNoise(rng.Child("noise")) { Projection = _target.ConstrainsNoise ? _target.ConstrainNoise : null };
        Action<int, Points>? record = check?.Observer(0);
        record += drift?.Observer();
        sampler.Run(score, x, 0, noise, record);
        return (x, check?.MeanRejection ?? double.NaN, drift?.Max);
    }

    /// <summary>
    /// The training gates with the exact score (fault null) or a faulty score: <c>score-relative-l2</c> on
    /// fresh points of p_σ, the <c>equivariance-error-*</c> family on clouds of p_σ, and <c>loss-excess</c> = the final loss (mean DSM loss of
    /// <see cref="GateCalibrator.LossWindow"/> minibatches from a fresh training set) minus the loss floor (<see cref="Floor"/>).
    /// </summary>
    IReadOnlyList<double> TrainingValues(string metric, string fault)
    {
        if (_definition.Training is not { } training) return [];
        string key = $"training|{fault}|{metric}";
        if (_cache.TryGetValue(key, out var cached)) return cached.Select(s => s[metric]).ToArray();
        double sigma = training.Sigma;
        var f = Named(fault);
        var (law, lawSigma) = FaultLaw(f is { IsSamplerFault: false } ? f : null, sigma);
        double factor = f?.ScoreFactor ?? 1;
        Points Faulty(Points x)
        {
            var s = law.Score(x, Smoothing.Gaussian(lawSigma));
            if (factor != 1) for (int i = 0; i < s.Data.Length; i++) s.Data[i] *= factor;
            return s;
        }
        var stream = _rng.Child("training").Child(fault).Child(metric);
        IReadOnlyDictionary<string, double>[] result;
        if (metric == MetricNames.ScoreRelativeL2)
        {
            // Near-deterministic at this size: one replicate (as the run evaluates it once per seed).
            var x = _target.Sample(_definition.Evaluation.ReferenceSize, Smoothing.Gaussian(sigma), stream.Child(0));
            var error = ScoreError.Compute(Faulty(x), _target.Score(x, Smoothing.Gaussian(sigma)));
            result = [new Dictionary<string, double> { [metric] = error.RelativeL2 }];
        }
        else if (metric == MetricNames.LossExcess && !training.Objective.NeedsNoiseConditionalModel)
        {
            // Single-σ DSM only: the final loss below is drawn at training.Sigma.
            _progress?.Invoke($"{_definition.Name}: {_sizes.FaultReplicates} final losses of the {(f is null ? "exact" : fault)} score");
            int d = _target.Dimension, batch = training.BatchSize;
            result = new IReadOnlyDictionary<string, double>[_sizes.FaultReplicates];
            for (int r = 0; r < result.Length; r++)
            {
                var rr = _rng.Child("training").Child(r);
                var data = _target.Sample(_definition.Data.N, rr.Child("data"));
                int m = GateCalibrator.LossWindow * batch;
                var x = Points.Zeros(m, d);
                var noise = Points.Zeros(m, d);
                rr.Child("noise").FillGaussian(noise.Data);
                if (_target.ConstrainsNoise) // DSM's noise on the zero-centre-of-mass subspace, as the trainer draws it
                    for (int i = 0; i < m; i++) _target.ConstrainNoise(noise.Data.AsSpan(i * d, d));
                var pick = rr.Child("batches");
                for (int i = 0; i < m; i++)
                {
                    int j = pick.NextInt(data.Count);
                    for (int k = 0; k < d; k++) x.Data[i * d + k] = data.Data[j * d + k] + sigma * noise.Data[i * d + k];
                }
                var s = Faulty(x);
                double loss = 0;
                for (int i = 0; i < s.Data.Length; i++)
                {
                    double e = s.Data[i] + noise.Data[i] / sigma;
                    loss += e * e;
                }
                loss /= s.Data.Length;
                double floor = Floor(r);
                result[r] = new Dictionary<string, double> { [metric] = loss - floor };
            }
        }
        else if (MetricCatalog.Default.Find(metric) is { Metric: IScoreSourceMetric profile } && profile.Needs.Contains(MetricNeed.UnsmoothedLaw))
        {
            // A score-source metric against p₀ itself (e(σ) on its grid): the exact, or faulty, score at every level;
            // one replicate, as the run evaluates it once per seed.
            var reference = new ReferenceLaw(_target, Smoothing.None, _target.Sample(_definition.Evaluation.ReferenceSize, stream.Child("reference")));
            var source = new FaultyScore(law, f is { IsSamplerFault: false } ? f.SigmaFactor : 1, factor, _target.Dimension);
            var values = profile.Compute(source, reference, new MetricSettings(1, 1, 1, 1), stream.Child(0)).ToDictionary(v => v.Metric, v => v.Value);
            result = [new Dictionary<string, double> { [metric] = values[metric] }];
        }
        else if (MetricCatalog.Default.Find(metric) is { Metric: EquivarianceErrorMetric equivariance } && _definition.Data.Particles is { } shape)
        {
            // The exact (or faulty) score's own equivariance error, on clouds of p_σ as the evaluator draws them: about
            // 1e-16 on a law invariant under E(3) × S_K, so a gate ≤ 1e-4 there is sized against float64 rounding. A score
            // factor cannot change a relative error, so the fault's law is what is measured. One replicate: the run
            // measures it once per seed.
            var clouds = _target.Sample(Math.Min(EquivarianceErrorMetric.Clouds, _definition.Evaluation.ReferenceSize), Smoothing.Gaussian(sigma), stream.Child("clouds"));
            var reference = new ReferenceLaw(_target, Smoothing.Gaussian(sigma), clouds, (shape.Count, shape.Space));
            var values = equivariance.Compute(new ExactScore(law, lawSigma), reference, new MetricSettings(1, 1, 1, 1), stream.Child("group"));
            result = [values.ToDictionary(v => v.Metric, v => v.Value)];
        }
        else return [];
        _cache[key] = result;
        return result.Select(s => s[metric]).ToArray();
    }

    /// <summary>c·∇log p_{fσ} of a (possibly faulty) law at every σ: the graded faults of a noise-conditional score.</summary>
    sealed class FaultyScore(Mixture law, double sigmaFactor, double factor, int dimension) : IScoreSource
    {
        public int Dimension => dimension;

        public double Sigma => 0;

        public bool IsNoiseConditional => true;

        public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
        {
            var s = law.Score(new Points(x.ToArray(), dimension), Smoothing.Gaussian(sigma * sigmaFactor));
            for (int i = 0; i < score.Length; i++) score[i] = factor * s.Data[i];
        }
    }
}
