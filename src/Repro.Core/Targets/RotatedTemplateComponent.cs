using Repro.Core.Geometry;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A rigid template of K points under a uniformly random rotation, with Gaussian jitter:
/// X₀ = M·Rᵀ + s₀·E, with M the K × 3 template (centred here), R Haar-distributed on SO(3) and
/// E ~ N(0, I) in R^{K×3}. A cloud is one row of 3K coordinates x₁, y₁, z₁, x₂, ….
/// Centred (<see cref="Centred"/>), the jitter and every smoothing noise are projected onto the zero-centre-of-mass
/// subspace, X₀ = M·Rᵀ + s₀·P·E, which is then the state space ((K − 1)·3 degrees of freedom), as for E(3) diffusion
/// (Hoogeboom et al. 2022, § 3.2).
/// </summary>
/// <remarks>
/// <para>
/// Under <see cref="Smoothing"/> (a, σ), X = a·M·Rᵀ + √v·E′ with v = a²s₀² + σ²: given R the law is
/// N(a·M·Rᵀ, v·I). Integrating R over the Haar measure, with F = (a/v)·XᵀM (3 × 3),
/// log p(X) = −(3K/2)·log(2πv) − (‖X‖² + a²‖M‖²)/(2v) + log c(F),
/// where c(F) = E_Haar[exp(tr(FᵀR))] is the matrix-Fisher normalising constant (<see cref="MatrixFisher"/>),
/// and, differentiating, ∇log p(X) = (a·M·E[R]ᵀ − X)/v with E[R] the mean of the matrix-Fisher posterior
/// of the rotation given X (Tweedie: a·M·E[R]ᵀ is E[a·M·Rᵀ | X]). Centred, X is replaced by P·X (M is centred, so
/// F and a·M·E[R]ᵀ are unchanged), 3K by (K − 1)·3 in the Gaussian's normaliser, and the score has no centre of mass:
/// a density with respect to Lebesgue measure on the subspace.
/// </para>
/// <para>
/// Each coordinate (k, i) is a·⟨m_k, r_i⟩ + √v·η with r_i a row of R, uniform on the sphere, so
/// a·⟨m_k, r_i⟩ is uniform on [−a‖m_k‖, a‖m_k‖] (Archimedes); the covariance is
/// a²·δ_ij·(MMᵀ)_kl/3 + v·δ_kl·δ_ij (centred: v·(δ_kl − 1/K)·δ_ij in the second term, and the normal part of
/// a coordinate has variance v·(1 − 1/K)).
/// </para>
/// </remarks>
public sealed class RotatedTemplateComponent : IComponent
{
    readonly double[] _template;
    readonly int _count;
    readonly double _jitter;
    readonly double _templateNorm2;

    /// <summary>Creates the component in the whole space R^{3K}.</summary>
    /// <param name="template">M, K × 3 row-major (K ≥ 1); its centre of mass is removed.</param>
    /// <param name="jitter">s₀ &gt; 0, the standard deviation of the jitter of every coordinate.</param>
    /// <exception cref="ArgumentException">Length not a positive multiple of 3, non-finite entries, or s₀ ≤ 0.</exception>
    public RotatedTemplateComponent(double[] template, double jitter) : this(template, jitter, centred: false)
    {
    }

    /// <summary>Creates the component, on the zero-centre-of-mass subspace when <paramref name="centred"/>.</summary>
    /// <param name="template">M, K × 3 row-major (K ≥ 1; K ≥ 2 when centred); its centre of mass is removed.</param>
    /// <param name="jitter">s₀ &gt; 0, the standard deviation of the jitter of every coordinate (before projection).</param>
    /// <param name="centred">True: jitter and smoothing noise projected onto the zero-centre-of-mass subspace.</param>
    /// <exception cref="ArgumentException">Length not a positive multiple of 3, non-finite entries, s₀ ≤ 0, or K = 1 when centred.</exception>
    public RotatedTemplateComponent(double[] template, double jitter, bool centred)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Length == 0 || template.Length % 3 != 0)
            throw new ArgumentException($"template has {template.Length} numbers, expected K × 3 with K ≥ 1", nameof(template));
        foreach (double v in template)
            if (!double.IsFinite(v)) throw new ArgumentException("template must be finite", nameof(template));
        if (!double.IsFinite(jitter) || !(jitter > 0)) throw new ArgumentException($"jitter must be finite and > 0, got {jitter}", nameof(jitter));
        _template = (double[])template.Clone();
        CentredGaussianCloudComponent.RemoveCentreOfMass(_template);
        _count = template.Length / 3;
        if (centred && _count < 2) throw new ArgumentException("a centred cloud needs at least 2 points", nameof(template));
        _jitter = jitter;
        Centred = centred;
        _templateNorm2 = _template.Sum(v => v * v);
    }

    /// <inheritdoc />
    public bool RotationInvariant => true;

    /// <summary>True when the state space is the zero-centre-of-mass subspace (jitter and noise projected there).</summary>
    public bool Centred { get; }

    /// <summary>Degrees of freedom of the state space: 3K, or (K − 1)·3 when centred.</summary>
    public int DegreesOfFreedom => Centred ? 3 * (_count - 1) : 3 * _count;

    /// <inheritdoc />
    public void ConstrainNoise(Span<double> noise)
    {
        if (Centred) CentredGaussianCloudComponent.RemoveCentreOfMass(noise);
    }

    /// <summary>M after centring, K × 3 row-major.</summary>
    public IReadOnlyList<double> Template => _template;

    /// <inheritdoc />
    public int Dimension => 3 * _count;

    /// <inheritdoc />
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        Span<double> r = stackalloc double[9];
        HaarRotation.Sample(rng, r);
        for (int k = 0; k < _count; k++)
            for (int i = 0; i < 3; i++)
            {
                // (M·Rᵀ)_{ki} = Σ_j M_kj R_ij.
                double m = 0;
                for (int j = 0; j < 3; j++) m += _template[3 * k + j] * r[3 * i + j];
                x[3 * k + i] = m + _jitter * rng.NextGaussian();
            }
        // M is centred, so removing the centre of mass projects the jitter alone.
        if (Centred) CentredGaussianCloudComponent.RemoveCentreOfMass(x);
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        if (!score.IsEmpty && score.Length != Dimension) throw new ArgumentException($"score has length {score.Length}, expected {Dimension}", nameof(score));
        double v = Variance(smoothing), a = smoothing.Scale;

        // Centred, off the subspace both answer for P·X: the score never has a centre of mass.
        Span<double> projected = !Centred ? Span<double>.Empty : x.Length <= 192 ? stackalloc double[x.Length] : new double[x.Length];
        if (Centred)
        {
            x.CopyTo(projected);
            CentredGaussianCloudComponent.RemoveCentreOfMass(projected);
        }
        ReadOnlySpan<double> cloud = Centred ? projected : x;

        Span<double> f = stackalloc double[9];
        f.Clear();
        double x2 = 0;
        for (int k = 0; k < _count; k++)
            for (int i = 0; i < 3; i++)
            {
                double xi = cloud[3 * k + i];
                x2 += xi * xi;
                for (int j = 0; j < 3; j++) f[3 * i + j] += a / v * xi * _template[3 * k + j];
            }

        Span<double> meanR = score.IsEmpty ? Span<double>.Empty : stackalloc double[9];
        double logC = MatrixFisher.LogNormaliser(f, meanR);
        if (!score.IsEmpty)
            for (int k = 0; k < _count; k++)
                for (int i = 0; i < 3; i++)
                {
                    double m = 0;
                    for (int j = 0; j < 3; j++) m += _template[3 * k + j] * meanR[3 * i + j];
                    score[3 * k + i] = (a * m - cloud[3 * k + i]) / v;
                }
        return -0.5 * DegreesOfFreedom * Math.Log(2 * Math.PI * v) - (x2 + a * a * _templateNorm2) / (2 * v) + logC;
    }

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Variance(smoothing);
        return new double[Dimension];
    }

    /// <inheritdoc />
    public double[] Covariance(Smoothing smoothing)
    {
        double v = Variance(smoothing), a2 = smoothing.Scale * smoothing.Scale;
        int d = Dimension;
        var c = new double[d * d];
        for (int k = 0; k < _count; k++)
            for (int l = 0; l < _count; l++)
            {
                double mm = 0;
                for (int j = 0; j < 3; j++) mm += _template[3 * k + j] * _template[3 * l + j];
                for (int i = 0; i < 3; i++)
                    c[(3 * k + i) * d + 3 * l + i] = a2 * mm / 3 + v * ((k == l ? 1.0 : 0.0) - (Centred ? 1.0 / _count : 0.0));
            }
        return c;
    }

    /// <inheritdoc />
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        if (coordinate < 0 || coordinate >= Dimension)
            throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"must be in [0, {Dimension})");
        double v = Variance(smoothing);
        int k = coordinate / 3;
        double radius = smoothing.Scale * Math.Sqrt(
            _template[3 * k] * _template[3 * k] + _template[3 * k + 1] * _template[3 * k + 1] + _template[3 * k + 2] * _template[3 * k + 2]);
        return NoisySegmentComponent.UniformPlusNormalCdf(-radius, radius, Math.Sqrt(Centred ? v * (1 - 1.0 / _count) : v), value);
    }

    double Variance(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
        double v = s.Scale * s.Scale * _jitter * _jitter + s.Sigma * s.Sigma;
        if (!(v > 0)) throw new ArgumentException("a = 0 and σ = 0 is a point mass at the origin, which has no density", nameof(s));
        return v;
    }
}
