using System.Text.RegularExpressions;
using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Definitions;

/// <summary>
/// One reconstruction: a start, a sampler and a score source, run on <paramref name="Particles"/>
/// particles of which the first <paramref name="Track"/> have their whole trajectory recorded.
/// </summary>
public sealed record ReconstructionDefinition(
    string Name, string Description, ScoreSourceDefinition Score, StartDefinition Start, SamplerDefinition Sampler,
    int Particles, int Track)
{
    /// <summary>
    /// Names of experiments and reconstructions. <c>\z</c>, not <c>$</c>: in .NET <c>$</c> also
    /// matches before a final newline, which would let <c>"name\n"</c> through.
    /// </summary>
    internal static readonly Regex NamePattern = new(@"^[a-z0-9-]+\z", RegexOptions.CultureInvariant);

    /// <summary>Reads one entry of <c>reconstructions</c>.</summary>
    public static ReconstructionDefinition Read(ObjectReader r)
    {
        string name = r.String("name", NamePattern, "[a-z0-9-]+");
        string description = r.OptionalString("description") ?? "";
        var score = ScoreSourceDefinition.Read(r.Object("score"));
        var start = Catalog.Starts.Read(r.Object("start"));
        var sampler = Catalog.Samplers.Read(r.Object("sampler"));
        int particles = (int)r.Integer("particles", 2, Limits.MaxSamples);
        int track = (int)(r.OptionalInteger("track", 0, Limits.MaxSamples) ?? 0);
        if (track > particles) throw r.Error("track", $"must be ≤ particles ({particles}) (got {track})");
        double? bound = r.OptionalNumber("divergenceBound", 0, 1e300, minExclusive: true);
        double[] ladder = r.Has("stepLadder") ? r.Numbers("stepLadder", 1, MaxLadder) : [];
        for (int i = 0; i < ladder.Length; i++)
        {
            if (ladder[i] <= 0 || ladder[i] >= 1)
                throw r.ItemError("stepLadder", i, $"must lie strictly between 0 and 1, a fraction of the sampler's steps (got {ladder[i]:R})");
            if (i > 0 && ladder[i] <= ladder[i - 1])
                throw r.ItemError("stepLadder", i, $"must be larger than the one before it ({ladder[i - 1]:R}): the factors increase (got {ladder[i]:R})");
        }
        if (ladder.Length > 0 && !sampler.StepScaleSetsEvaluations)
            throw r.Error("stepLadder", $"needs a schedule sampler (reverse-sde, predictor-corrector, probability-flow), whose steps are score evaluations on a grid; {sampler.KindName} has no such grid");
        int previous = 0, full = ladder.Length > 0 ? sampler.CreateSampler().Steps : 0;
        if (ladder.Length > 0 && sampler.WithStepScale(2).CreateSampler().Steps >= full)
            throw r.Error("stepLadder", $"the sampler's grid has a single interval ({full} score evaluations): there is no coarser grid to run");
        for (int i = 0; i < ladder.Length; i++)
        {
            // A fraction of N intervals rounds to a whole grid: two rungs on the same grid would be the same run.
            int steps = sampler.WithStepScale(1 / ladder[i]).CreateSampler().Steps;
            if (steps <= previous || steps >= full)
                throw r.ItemError("stepLadder", i, $"gives {steps} score evaluations, the same grid as {(steps >= full ? "the reconstruction itself" : "the fraction before it")} (fractions of the sampler's intervals round to whole grids): choose fractions further apart");
            previous = steps;
        }
        r.Done();
        return new ReconstructionDefinition(name, description, score, start, sampler, particles, track) { DivergenceBound = bound, StepLadder = ladder };
    }

    /// <summary>Most factors a <see cref="StepLadder"/> may list.</summary>
    public const int MaxLadder = 8;

    /// <summary>
    /// Sample quality against the number of score evaluations: fractions f₁ &lt; … &lt; f_m of (0, 1) at which the runner
    /// runs the same schedule sampler again with round(f·N) grid intervals, from the same start with the same noise
    /// keys, and measures the KS distance of each end to the law the reconstruction aims at
    /// (<see cref="Metrics.StepLadderMetric"/>); the full run is the last rung. Optional JSON <c>stepLadder</c> (at
    /// most <see cref="MaxLadder"/> increasing numbers), schedule samplers only; empty by default.
    /// </summary>
    public IReadOnlyList<double> StepLadder { get; init; } = [];

    /// <summary>Factor of <see cref="DefaultDivergenceBound"/> over the target's and the start's scale.</summary>
    public const double DivergenceFactor = 1e6;

    /// <summary>
    /// The run has diverged when any particle coordinate leaves [−bound, bound] or stops being finite;
    /// null means <see cref="DefaultDivergenceBound"/>. Optional JSON <c>divergenceBound</c> (&gt; 0).
    /// </summary>
    public double? DivergenceBound { get; init; }

    /// <summary>
    /// The default bound: <see cref="DivergenceFactor"/> (1e6) × max(R, S), with R = max_j(|m_j| + √C_jj)
    /// of the law the sampler aims at (mean m, covariance C of p_σ) and S the farthest starting
    /// coordinate. A working sampler stays within a few of those scales; a million is far beyond any
    /// honest excursion and still 150 orders of magnitude before float64 overflows, so a blow-up is
    /// caught while its particles are finite (and while a frozen, overflowed score cannot hide it).
    /// </summary>
    public static double DefaultDivergenceBound(Mixture target, Smoothing smoothing, Points start)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(start);
        double[] mean = target.Mean(smoothing), cov = target.Covariance(smoothing);
        int d = target.Dimension;
        double scale = 0;
        for (int j = 0; j < d; j++) scale = Math.Max(scale, Math.Abs(mean[j]) + Math.Sqrt(cov[j * d + j]));
        foreach (double v in start.Data) scale = Math.Max(scale, Math.Abs(v));
        return DivergenceFactor * scale;
    }
}
