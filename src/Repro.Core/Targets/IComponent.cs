using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// One mixture component of a target distribution in d dimensions, with exact truth in float64:
/// sampling, log-density and score of p₀, and the same for any <see cref="Smoothing"/> of it.
/// A new kind of component is one class implementing this interface (plus its definition).
/// </summary>
public interface IComponent
{
    /// <summary>Dimension d ≥ 1.</summary>
    int Dimension { get; }

    /// <summary>Writes one exact draw of p₀ into <paramref name="x"/> (length d).</summary>
    void Sample(RandomStream rng, Span<double> x);

    /// <summary>
    /// log p(x) of the component under <paramref name="smoothing"/>; when <paramref name="score"/>
    /// is non-empty, also writes ∇ₓ log p(x) into it. Outside a support returns −∞ and a zero score.
    /// </summary>
    double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score);

    /// <summary>Mean of the component under <paramref name="smoothing"/> (length d).</summary>
    double[] Mean(Smoothing smoothing);

    /// <summary>Covariance of the component under <paramref name="smoothing"/>, d × d row-major.</summary>
    double[] Covariance(Smoothing smoothing);

    /// <summary>CDF of coordinate <paramref name="coordinate"/> of the component under <paramref name="smoothing"/>.</summary>
    double MarginalCdf(int coordinate, double value, Smoothing smoothing);
}
