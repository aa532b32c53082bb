using System.Text.RegularExpressions;
using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;
using Repro.Core.Random;
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
        r.Done();
        return new ReconstructionDefinition(name, description, score, start, sampler, particles, track) { DivergenceBound = bound };
    }

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

/// <summary>
/// The score a sampler follows: the trained network (<c>learned</c>), or the exact
/// ∇log p_σ of the target at <paramref name="Sigma"/> (<c>exact</c>; σ = 0 is ∇log p₀; absent
/// means the training σ, or 0 when nothing is trained).
/// </summary>
public sealed record ScoreSourceDefinition(string Source, double? Sigma)
{
    /// <summary>The learned network.</summary>
    public const string Learned = "learned";

    /// <summary>The exact truth.</summary>
    public const string Exact = "exact";

    /// <summary>Reads <c>{ kind: "learned" }</c> or <c>{ kind: "exact", sigma? }</c>.</summary>
    public static ScoreSourceDefinition Read(ObjectReader r)
    {
        string source = r.Choice("kind", Learned, Exact);
        double? sigma = null;
        if (source == Exact) sigma = r.OptionalNumber("sigma", 0, 1e3);
        r.Done();
        return new ScoreSourceDefinition(source, sigma);
    }
}

/// <summary>Where particles start.</summary>
public abstract record StartDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>Draws <paramref name="n"/> starting particles for <paramref name="target"/>.</summary>
    public abstract Points Draw(Mixture target, int n, RandomStream rng);
}

/// <summary>The seed report's forward process: x_T = x₀ + σ ε from fresh draws of p₀.</summary>
public sealed record ForwardNoisedStart(double Sigma) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "forward-noised";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng) => target.Sample(n, Smoothing.Gaussian(Sigma), rng);

    /// <summary>Reads <c>{ kind, sigma }</c>.</summary>
    public static ForwardNoisedStart Read(ObjectReader r) => new(r.Number("sigma", 0, 1e3));
}

/// <summary>Generation from noise: x ~ N(mean, std² I) (mean defaults to the origin).</summary>
public sealed record GaussianStart(IReadOnlyList<double>? Mean, double Std) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "gaussian";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng)
    {
        int d = target.Dimension;
        var x = Points.Zeros(n, d);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
                x.Data[i * d + k] = (Mean?[k] ?? 0.0) + Std * rng.NextGaussian();
        return x;
    }

    /// <summary>Reads <c>{ kind, mean?, std }</c>.</summary>
    public static GaussianStart Read(ObjectReader r) =>
        new(r.Has("mean") ? r.Numbers("mean", 1, Limits.MaxDimension) : null, r.Number("std", 0, 1e6, minExclusive: true));
}

/// <summary>Uniform on the box [low, high]^d (Song &amp; Ermon's toy start).</summary>
public sealed record UniformStart(double Low, double High) : StartDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "uniform";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Points Draw(Mixture target, int n, RandomStream rng)
    {
        var x = Points.Zeros(n, target.Dimension);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextUniform(Low, High);
        return x;
    }

    /// <summary>Reads <c>{ kind, low, high }</c>.</summary>
    public static UniformStart Read(ObjectReader r)
    {
        double low = r.Number("low");
        double high = r.Number("high");
        if (!(low < high)) throw r.Error("high", $"must be > low ({low}) (got {high})");
        return new UniformStart(low, high);
    }
}

/// <summary>A sampler over a score source.</summary>
public abstract record SamplerDefinition
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>The sampler this definition describes.</summary>
    public abstract Sampling.ISampler CreateSampler();

    /// <summary>
    /// σ of the law p_σ this sampler aims at when following a score at <paramref name="scoreSigma"/>:
    /// Langevin on a single-σ score samples p_σ (not p₀); annealed Langevin ends at σ_min;
    /// the Tweedie denoiser aims at p₀.
    /// </summary>
    public virtual double TargetSigma(double scoreSigma) => scoreSigma;

    /// <summary>True when the sampler moves by Langevin steps (what <c>mh-rejection</c> judges).</summary>
    public virtual bool MakesLangevinMoves => true;

    /// <summary>The same sampler with every step size multiplied by <paramref name="factor"/> (for fault injection).</summary>
    public abstract SamplerDefinition WithStepScale(double factor);
}

/// <summary>Unadjusted Langevin: x ← x + (η/2) s(x) + √η z.</summary>
public sealed record LangevinSampler(double StepSize, int Steps) : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "langevin";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() => new Sampling.UnadjustedLangevin(StepSize, Steps);

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { StepSize = StepSize * factor };

    /// <summary>Reads <c>{ kind, stepSize, steps }</c>.</summary>
    public static LangevinSampler Read(ObjectReader r) =>
        new(r.Number("stepSize", 0, 1e3, minExclusive: true), (int)r.Integer("steps", 1, Limits.MaxSteps));
}

/// <summary>
/// Annealed Langevin (Song &amp; Ermon 2019, Alg. 1): σ₁ = sigmaMax &gt; … &gt; σ_L = sigmaMin
/// geometric, <c>stepsPerLevel</c> steps at each with step η·(σᵢ/σ_L)².
/// </summary>
public sealed record AnnealedLangevinSampler(double SigmaMax, double SigmaMin, int Levels, int StepsPerLevel, double StepSize)
    : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "annealed-langevin";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() =>
        new Sampling.AnnealedLangevin(SigmaMax, SigmaMin, Levels, StepsPerLevel, StepSize);

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => SigmaMin;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { StepSize = StepSize * factor };

    /// <summary>Reads <c>{ kind, sigmaMax, sigmaMin, levels, stepsPerLevel, stepSize }</c>.</summary>
    public static AnnealedLangevinSampler Read(ObjectReader r)
    {
        double max = r.Number("sigmaMax", 0, 1e3, minExclusive: true);
        double min = r.Number("sigmaMin", 0, 1e3, minExclusive: true);
        if (!(min < max)) throw r.Error("sigmaMin", $"must be < sigmaMax ({max}) (got {min})");
        int levels = (int)r.Integer("levels", 2, 10_000);
        int steps = (int)r.Integer("stepsPerLevel", 1, Limits.MaxSteps);
        if ((long)levels * steps > Limits.MaxSteps)
            throw r.Error("stepsPerLevel", $"levels × stepsPerLevel must be ≤ {Limits.MaxSteps} (got {levels} × {steps} = {(long)levels * steps})");
        double eta = r.Number("stepSize", 0, 1e3, minExclusive: true);
        return new AnnealedLangevinSampler(max, min, levels, steps, eta);
    }
}

/// <summary>One-step Tweedie denoiser x₀′ = x + σ² s(x), σ the score's noise level.</summary>
public sealed record TweedieSampler : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "tweedie";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() => new Sampling.TweedieDenoiser();

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => 0;

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this;

    /// <summary>Reads <c>{ kind }</c>.</summary>
    public static TweedieSampler Read(ObjectReader r) => new();
}
