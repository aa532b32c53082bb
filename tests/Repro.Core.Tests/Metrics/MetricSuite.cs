using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

/// <summary>
/// The catalog-wide metric suite (in the style of MathNet.Numerics' common distribution tests and sbibm's
/// task-interface tests): the null behaviour every registered metric must show, checked from what the
/// metric declares (its outputs' <see cref="MetricOutput.IsPValue"/> and <see cref="MetricOutput.NullLevel"/>,
/// its needs), so a new metric kind is covered with no test edit.
/// </summary>
public static class MetricSuite
{
    /// <summary>Small and large sample sizes of the null-level check: a distance's error shrinks like 1/√n (or faster), so by ≈ 4× between them.</summary>
    public const int Small = 20, Large = 320;

    /// <summary>
    /// Replicates per size (each a fresh sample and a fresh reference sample, seeded). With 30, the mean |v − level| of a
    /// half-normal error has a coefficient of variation ≈ 0.14, so a ratio above <see cref="ShrinkRatio"/> where 1/4 is
    /// expected lies ≈ 4.5 standard deviations out (log scale).
    /// </summary>
    public const int Replicates = 30;

    /// <summary>The largest accepted ratio of the mean error at <see cref="Large"/> to that at <see cref="Small"/> (1/4 expected for 1/√n).</summary>
    public const double ShrinkRatio = 0.6;

    /// <summary>Family-wise level of the "p-value not tiny" check: the smallest of an output's m p-values at <see cref="Large"/> must be ≥ this / m (Bonferroni).</summary>
    public const double TinyPValue = 1e-3;

    /// <summary>Quick resampling sizes.</summary>
    public static readonly MetricSettings Settings = new(Permutations: 50, Projections: 8, Bootstrap: 50, MmdSize: 1000)
    {
        // A short probability-flow ODE for the likelihood metric (Heun on EDM's grid σ 10 → 0.01, 20 steps, 16 points).
        Likelihood = new LikelihoodSettings(new ProbabilityFlowLikelihood(new Repro.Core.Schedules.EdmSchedule(0.01, 10, 7), 20, OdeMethod.Heun), 16),
    };

    /// <summary>The laws every metric is checked on: name → (target, σ of the smoothing, particle shape or null).</summary>
    public static readonly IReadOnlyDictionary<string, (Mixture Target, double Sigma, (int, int)? Particles)> Laws = new Dictionary<string, (Mixture, double, (int, int)?)>
    {
        // One coordinate, two overlapping modes of unequal weight (sliced KS must be skipped: d = 1).
        ["1d-two-gaussians-p0"] = (new Mixture([0.3, 0.7], [new GaussianComponent([-2.0], [0.25]), new GaussianComponent([1.5], [1.0])]), 0.0, null),
        ["1d-two-gaussians-p-sigma"] = (new Mixture([0.3, 0.7], [new GaussianComponent([-2.0], [0.25]), new GaussianComponent([1.5], [1.0])]), 0.5, null),
        // Two correlated blobs and a noisy segment in 2D (the seed report's shapes).
        ["2d-blob-line-p0"] = (new Mixture([0.5, 0.5], [new GaussianComponent([-1.5, 1.0], [0.3, 0.1, 0.1, 0.2]), new NoisySegmentComponent(-1, 2, 0.5, -0.5, 0.1)]), 0.0, null),
        ["2d-blob-line-p-sigma"] = (new Mixture([0.5, 0.5], [new GaussianComponent([-1.5, 1.0], [0.3, 0.1, 0.1, 0.2]), new NoisySegmentComponent(-1, 2, 0.5, -0.5, 0.1)]), 0.4, null),
        // One component (mode weights must be skipped).
        ["2d-one-blob-p0"] = (new Mixture([1.0], [new GaussianComponent([0.5, -0.5], [1.0, -0.4, -0.4, 0.5])]), 0.0, null),
        // Four points in 3D with zero centre of mass (E(3) diffusion's law): a particle shape, and a density on a subspace only.
        ["3d-centred-cloud-p-sigma"] = (new Mixture([1.0], [new CentredGaussianCloudComponent(4, 1.0)]), 0.3, (4, 3)),
        // A data-set ensemble (kind "ensemble"): 400 training and 400 held-out clouds of the same law, so a sample of the
        // empirical law (training resamples) against the held-out split is a null comparison. At σ = 0: smoothing would
        // shift the held-out features (R_g grows with σ), which is a real difference, not a null. No particle shape is
        // declared: the exact score of a fixed ensemble is not rotation-equivariant, so the equivariance metric has no null here.
        ["ensemble-p0"] = (new Mixture([1.0], [Ensemble()]), 0.0, null),
    };

    /// <summary>400 training and 400 held-out draws of a centred Gaussian cloud of 4 points (fixed seed).</summary>
    static EnsembleComponent Ensemble()
    {
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(4, 1.0)]);
        var rng = new RandomStream(20261130).Child("ensemble");
        return new EnsembleComponent(cloud.Sample(400, rng.Child("training")), cloud.Sample(400, rng.Child("held-out")));
    }

    /// <summary>The law <paramref name="name"/> with a fresh reference sample of <paramref name="n"/> points.</summary>
    public static ReferenceLaw Law(string name, int n, RandomStream rng)
    {
        var (target, sigma, particles) = Laws[name];
        var smoothing = Smoothing.Gaussian(sigma);
        return new ReferenceLaw(target, smoothing, target.Sample(n, smoothing, rng.Child("reference")), particles);
    }

    /// <summary>Registered metrics of <paramref name="registry"/> that compute values (sample and score-source metrics), by kind.</summary>
    public static IEnumerable<string> ComputedKinds(MetricRegistry registry) =>
        registry.Metrics.Where(m => m is ISampleMetric or IScoreSourceMetric).Select(m => m.Kind);

    /// <summary>
    /// Checks the null behaviour of <paramref name="metric"/> on the law <paramref name="lawName"/>, or that it
    /// is skipped there with a stated reason. Returns false when skipped.
    /// </summary>
    public static bool CheckNullBehaviour(IMetric metric, string lawName, ulong seed)
    {
        var rng = new RandomStream(seed).Child(metric.Kind).Child(lawName);
        var probe = Law(lawName, Small, rng.Child("probe"));
        if (MetricRegistry.WhySkipped(metric, probe, Settings) is { } reason)
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{metric.Kind} is skipped on {lawName} without a reason");
            return false;
        }
        switch (metric)
        {
            case ISampleMetric sample:
                CheckSampleMetric(sample, lawName, rng);
                return true;
            case IScoreSourceMetric score:
                CheckScoreSourceMetric(score, probe, rng);
                return true;
            default:
                throw new InvalidOperationException($"{metric.Kind} computes nothing here (measured by another stage)");
        }
    }

    /// <summary>A fresh sample of the law: every p-value not tiny, every output with a null level nearer to it at the larger size, every value named as declared.</summary>
    static void CheckSampleMetric(ISampleMetric metric, string lawName, RandomStream rng)
    {
        var (target, sigma, _) = Laws[lawName];
        var smoothing = Smoothing.Gaussian(sigma);
        var distance = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var pvalues = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var (n, column) in new[] { (Small, 0), (Large, 1) })
            for (int r = 0; r < Replicates; r++)
            {
                var stream = rng.Child($"n{n}").Child($"r{r}");
                var law = Law(lawName, n, stream);
                var x = target.Sample(n, smoothing, stream.Child("sample"));
                var values = metric.Compute(x, law, Settings, stream.Child("metric")).ToList();
                Assert.NotEmpty(values);
                foreach (var (name, value) in values)
                {
                    var output = metric.Outputs.SingleOrDefault(o => o.Matches(name));
                    Assert.True(output is not null, $"{metric.Kind} wrote \"{name}\", which none of its declared outputs names");
                    Assert.False(double.IsNaN(value), $"{metric.Kind}: {name} is NaN for a sample of {lawName}");
                    // p-values at the larger size only: asymptotic tests (the mode-weight Wald χ²) need not be
                    // valid at n = 20 (seen: p = 4e-7 for a sample of the law itself with overlapping modes).
                    if (output!.IsPValue && n == Large)
                    {
                        Assert.InRange(value, 0, 1);
                        if (!pvalues.TryGetValue(name, out var list)) pvalues[name] = list = [];
                        list.Add(value);
                    }
                    if (output.NullLevel is { } level)
                    {
                        if (!distance.TryGetValue(name, out var sums)) distance[name] = sums = new double[2];
                        sums[column] += Math.Abs(value - level) / Replicates;
                    }
                }
            }
        foreach (var (name, list) in pvalues)
            Assert.True(list.Min() >= TinyPValue / list.Count,
                $"{metric.Kind}: {name} = {list.Min():G3} for a sample of {lawName} itself, below {TinyPValue}/{list.Count} (Bonferroni over its {list.Count} replicates)");
        foreach (var (name, error) in distance)
            Assert.True(error[1] < ShrinkRatio * error[0] || error[1] < 1e-12,
                $"{metric.Kind}: {name} does not approach its null level for samples of {lawName}: mean |v − level| {error[0]:G3} at n = {Small}, {error[1]:G3} at n = {Large} (expected ≈ 4× smaller)");
    }

    /// <summary>The exact score of the law as the source: every output with a null level is at it (to rounding).</summary>
    static void CheckScoreSourceMetric(IScoreSourceMetric metric, ReferenceLaw law, RandomStream rng)
    {
        var exact = new ExactScore(law.Exact, law.Sigma);
        var values = metric.Compute(exact, law, Settings, rng.Child("metric")).ToList();
        Assert.NotEmpty(values);
        foreach (var (name, value) in values)
        {
            var output = metric.Outputs.SingleOrDefault(o => o.Matches(name));
            Assert.True(output is not null, $"{metric.Kind} wrote \"{name}\", which none of its declared outputs names");
            if (output!.NullLevel is { } level)
                Assert.True(Math.Abs(value - level) <= 1e-9, $"{metric.Kind}: {name} = {value:G3} for the exact score, expected {level}");
        }
    }
}
