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
