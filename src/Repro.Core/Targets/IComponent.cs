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

    /// <summary>
    /// Projects a noise vector (length d) onto the state space the component lives in, in place: the
    /// noise its <see cref="Smoothing"/> adds is the projected one (zero centre of mass for clouds, as in
    /// Hoogeboom et al. 2022's E(3) diffusion). The default is the whole space: no change.
    /// </summary>
    void ConstrainNoise(Span<double> noise) { }

    /// <summary>
    /// True when the component has a density (so <see cref="LogDensity"/> answers) under
    /// <paramref name="smoothing"/>; an empirical law has none at σ = 0. Metrics that need an exact
    /// score skip a law without one (<c>MetricNeed.ExactScore</c>).
    /// </summary>
    bool HasDensity(Smoothing smoothing) => true;

    /// <summary>
    /// True when the component's law on clouds of K points in R³ is invariant under every rotation R ∈ SO(3) applied to
    /// each point, at every smoothing (isotropic noise keeps it). Declared, not tested per point: false by default.
    /// </summary>
    bool RotationInvariant => false;

    /// <summary>Mean of the component under <paramref name="smoothing"/> (length d).</summary>
    double[] Mean(Smoothing smoothing);

    /// <summary>Covariance of the component under <paramref name="smoothing"/>, d × d row-major.</summary>
    double[] Covariance(Smoothing smoothing);

    /// <summary>CDF of coordinate <paramref name="coordinate"/> of the component under <paramref name="smoothing"/>.</summary>
    double MarginalCdf(int coordinate, double value, Smoothing smoothing);

    /// <summary>
    /// Δ log p(x) = ∇·∇log p(x) under <paramref name="smoothing"/> (the divergence of the score, which the
    /// probability-flow likelihood integrates). Components override this with a closed form; the
    /// default is the central difference Σ_k [s_k(x + h e_k) − s_k(x − h e_k)]/(2h) of the exact score
    /// with h = 1e-4·max(1, |x_k|) (relative error about 1e-8 for smooth densities). Outside a support: 0.
    /// </summary>
    double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        int d = Dimension;
        var point = x.ToArray();
        var plus = new double[d];
        var minus = new double[d];
        double sum = 0;
        for (int k = 0; k < d; k++)
        {
            double h = 1e-4 * Math.Max(1.0, Math.Abs(x[k]));
            point[k] = x[k] + h;
            double lp = LogDensity(point, smoothing, plus);
            point[k] = x[k] - h;
            double lm = LogDensity(point, smoothing, minus);
            point[k] = x[k];
            if (double.IsNegativeInfinity(lp) || double.IsNegativeInfinity(lm)) return 0;
            sum += (plus[k] - minus[k]) / (2 * h);
        }
        return sum;
    }
}

/// <summary>Projects one particle's vector (length d) onto a state space, in place.</summary>
public delegate void NoiseProjection(Span<double> vector);
