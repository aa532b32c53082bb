namespace Repro.Core.Metrics;

/// <summary>What a metric's rows describe, which decides the <c>reconstruction</c> a gate on it names.</summary>
public enum MetricScope
{
    /// <summary>A sample (a reconstruction's particles, or a user's samples) against a reference law: rows per reconstruction and reference, with null baselines.</summary>
    Sample,

    /// <summary>The trained score itself: rows under the pseudo-reconstruction <c>training</c>.</summary>
    Training,

    /// <summary>The sampler's moves: rows per reconstruction, against p_σ, with no null baseline.</summary>
    Sampler,
}
