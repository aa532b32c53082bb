namespace Repro.Core.Definitions;

/// <summary>
/// Documented upper limits of a definition; beyond them a run would not finish in reasonable
/// time or memory on a workstation, so the loader refuses the file instead of starting.
/// </summary>
public static class Limits
{
    /// <summary>Largest dimension d of a target.</summary>
    public const int MaxDimension = 64;

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

    /// <summary>Largest number of permutations, projections or bootstrap draws.</summary>
    public const int MaxResamples = 100_000;
}
