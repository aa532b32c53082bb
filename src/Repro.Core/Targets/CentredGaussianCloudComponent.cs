using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// K points in R³ drawn from the isotropic Gaussian on the zero-centre-of-mass subspace:
/// X₀ = √v₀·P·E with E ~ N(0, I_{3K}) and P the projection that removes the centre of mass.
/// The state space is that (K − 1)·3-dimensional subspace (Hoogeboom et al. 2022, E(3) diffusion, §3.2).
/// A point cloud is one row of 3K coordinates ordered x₁, y₁, z₁, x₂, ….
/// </summary>
/// <remarks>
/// <para>
/// Under <see cref="Smoothing"/> (a, σ) the noise is taken in the subspace too (P·ε, as the E(3)
/// diffusion samplers do), so the law stays N(0, v·P) on the subspace with v = a²v₀ + σ², and
/// log p(X) = −‖PX‖²/(2v) − ((K − 1)·3/2)·log(2πv), ∇log p(X) = −P·X/v,
/// a density with respect to Lebesgue measure on the subspace. Off the subspace both are those of PX:
/// the score never has a centre-of-mass component.
/// </para>
/// <para>
/// A sampler that adds full-space noise leaves the subspace; today's samplers do, so a definition using
/// this kind is for exact truth (<c>repro truth</c>) until samplers project their noise.
/// </para>
/// </remarks>
public sealed class CentredGaussianCloudComponent : IComponent
{
    readonly int _count;
    readonly double _variance;

    /// <summary>Creates the cloud.</summary>
    /// <param name="count">K ≥ 2 points.</param>
    /// <param name="variance">v₀ &gt; 0, the variance of each coordinate before centring.</param>
    /// <exception cref="ArgumentException">K &lt; 2 or v₀ not finite and positive.</exception>
    public CentredGaussianCloudComponent(int count, double variance)
    {
        if (count < 2) throw new ArgumentException($"a cloud needs at least 2 points, got {count}", nameof(count));
        if (!double.IsFinite(variance) || !(variance > 0)) throw new ArgumentException($"variance must be finite and > 0, got {variance}", nameof(variance));
        (_count, _variance) = (count, variance);
    }

    /// <inheritdoc />
    public bool RotationInvariant => true;

    /// <summary>K, the number of points.</summary>
    public int Count => _count;

    /// <summary>Degrees of freedom (K − 1)·3 of the zero-centre-of-mass subspace.</summary>
    public int DegreesOfFreedom => (_count - 1) * 3;

    /// <inheritdoc />
    public int Dimension => 3 * _count;

    /// <inheritdoc />
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        double sd = Math.Sqrt(_variance);
        for (int i = 0; i < x.Length; i++) x[i] = sd * rng.NextGaussian();
        RemoveCentreOfMass(x);
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        if (!score.IsEmpty && score.Length != Dimension) throw new ArgumentException($"score has length {score.Length}, expected {Dimension}", nameof(score));
        double v = Variance(smoothing);
        Span<double> centred = x.Length <= 192 ? stackalloc double[x.Length] : new double[x.Length];
        x.CopyTo(centred);
        RemoveCentreOfMass(centred);
        double quadratic = 0;
        for (int i = 0; i < centred.Length; i++)
        {
            double c = centred[i] / v;
            quadratic += c * centred[i];
            if (!score.IsEmpty) score[i] = -c;
        }
        return -quadratic / 2 - DegreesOfFreedom / 2.0 * Math.Log(2 * Math.PI * v);
    }

    /// <inheritdoc/>
    /// <remarks>Removes the centre of mass (the state space is the zero-centre-of-mass subspace).</remarks>
    public void ConstrainNoise(Span<double> noise) => RemoveCentreOfMass(noise);

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Variance(smoothing);
        return new double[Dimension];
    }

    /// <inheritdoc />
    /// <remarks>v·P: entry ((i, c), (j, c′)) is v·δ_{cc′}·(δ_{ij} − 1/K).</remarks>
    public double[] Covariance(Smoothing smoothing)
    {
        double v = Variance(smoothing);
        int d = Dimension;
        var c = new double[d * d];
        for (int i = 0; i < _count; i++)
            for (int j = 0; j < _count; j++)
                for (int axis = 0; axis < 3; axis++)
                    c[(3 * i + axis) * d + 3 * j + axis] = v * ((i == j ? 1.0 : 0.0) - 1.0 / _count);
        return c;
    }

    /// <inheritdoc />
    /// <remarks>Each coordinate is N(0, v·(1 − 1/K)).</remarks>
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        if (coordinate < 0 || coordinate >= Dimension)
            throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"must be in [0, {Dimension})");
        double v = Variance(smoothing);
        return StandardNormal.Cdf(value / Math.Sqrt(v * (1 - 1.0 / _count)));
    }

    /// <inheritdoc />
    /// <remarks>Δ log p = −tr(P)/v = −(K − 1)·3/v, everywhere.</remarks>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        return -DegreesOfFreedom / Variance(smoothing);
    }

    /// <summary>Subtracts the centre of mass (the mean of the K points) from a row of 3K coordinates in place: X ↦ P·X.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public static void RemoveCentreOfMass(Span<double> x)
    {
        if (x.Length % 3 != 0) throw new ArgumentException($"a cloud row has 3K coordinates, got {x.Length}", nameof(x));
        int k = x.Length / 3;
        for (int axis = 0; axis < 3; axis++)
        {
            double mean = 0;
            for (int i = 0; i < k; i++) mean += x[3 * i + axis];
            mean /= k;
            for (int i = 0; i < k; i++) x[3 * i + axis] -= mean;
        }
    }

    double Variance(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
        double v = s.Scale * s.Scale * _variance + s.Sigma * s.Sigma;
        if (!(v > 0)) throw new ArgumentException("a = 0 and σ = 0 is a point mass at the origin, which has no density", nameof(s));
        return v;
    }
}
