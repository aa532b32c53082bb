namespace Repro.Core.Definitions;

/// <summary>
/// Documented upper limits of a definition; beyond them a run would not finish in reasonable
/// time or memory on a workstation, so the loader refuses the file instead of starting.
/// </summary>
public static class Limits
{
    /// <summary>
    /// Largest dimension d of a target: 1536 = 3 × 512, a cloud of 512 points in R³ (a protein's Cα
    /// trace of a few hundred residues). One such row is 12 KiB of float64; a full Gaussian
    /// component's covariance and its Cholesky factor take 2 × 1536² × 8 B ≈ 38 MB.
    /// </summary>
    public const int MaxDimension = 1536;

    /// <summary>
    /// Largest number of float64 values in one n × d block (training set, particles, reference sample):
    /// 2²⁷ = 134 217 728 values, 1 GiB, so a definition cannot ask for more memory than a workstation has
    /// (at d = 1536 that is 87 381 points; at d ≤ 134 the sample limits bind first).
    /// </summary>
    public const long MaxValues = 1L << 27;

    /// <summary>Largest number of mixture components.</summary>
    public const int MaxComponents = 64;

    /// <summary>Largest training set N and largest particle count.</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>Largest number of training steps or sampler steps.</summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>Largest minibatch.</summary>
    public const int MaxBatch = 65_536;

    /// <summary>Largest hidden width of a score network.</summary>
    public const int MaxHidden = 4096;

    /// <summary>Largest number of layers of a score network.</summary>
    public const int MaxLayers = 32;

    /// <summary>Largest number of seeds per experiment.</summary>
    public const int MaxSeeds = 100;

    /// <summary>Largest seed value (exactly representable in JSON numbers, 2⁵³).</summary>
    public const long MaxSeed = 1L << 53;

    /// <summary>
    /// Smallest mixture weight, 1/<see cref="MaxSamples"/>: a lighter component would not get one
    /// expected draw in the largest training set or particle count, so no metric could see it, and the
    /// mode-weight test's expected counts would vanish. A weight of 0 is refused rather than run,
    /// because a component nothing can draw is a mistake in the definition, not a law to reproduce
    /// (<c>repro truth</c>'s <c>Mixture</c>, a library type, still accepts 0 and ignores it).
    /// Applied once, by <see cref="ComponentDefinition.ReadWeight"/>, and mirrored in the schema.
    /// </summary>
    public const double MinWeight = 1e-6;

    /// <summary>Largest number of permutations, projections or bootstrap draws.</summary>
    public const int MaxResamples = 100_000;
}
