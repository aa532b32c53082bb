using System.Collections.Concurrent;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A Gaussian N(μ, Σ) in d ≥ 1 dimensions with a full symmetric positive-definite covariance.
/// Under <see cref="Smoothing"/> (a, σ) it stays Gaussian: N(aμ, Σ_s) with Σ_s = a²Σ + σ²I, so
/// log-density, score −Σ_s⁻¹(x − aμ), moments and marginal CDFs are all exact.
/// </summary>
/// <remarks>
/// The Cholesky factor of Σ_s is computed once per distinct <see cref="Smoothing"/> and cached in a
/// thread-safe dictionary; callers evaluating many points at one smoothing pay for it once.
/// </remarks>
public sealed class GaussianComponent : IComponent
{
    readonly double[] _mean;
    readonly double[] _covariance;
    readonly double[] _sampleFactor;
    readonly ConcurrentDictionary<Smoothing, Factor> _factors = new();
    readonly ConcurrentDictionary<Smoothing, double> _traceOfInverse = new();

    /// <summary>Cholesky factor L (lower, row-major) of Σ_s = L Lᵀ and log det Σ_s.</summary>
    sealed record Factor(double[] Lower, double LogDeterminant);

    /// <summary>Creates N(<paramref name="mean"/>, <paramref name="covariance"/>).</summary>
    /// <param name="mean">μ, length d ≥ 1.</param>
    /// <param name="covariance">Σ, d × d row-major, symmetric positive definite.</param>
    /// <exception cref="ArgumentException">Shapes disagree, Σ is not symmetric, or not positive definite.</exception>
    public GaussianComponent(double[] mean, double[] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        int d = mean.Length;
        if (d < 1) throw new ArgumentException("mean must have at least one coordinate", nameof(mean));
        if (covariance.Length != d * d)
            throw new ArgumentException($"covariance has {covariance.Length} entries, expected {d}×{d} = {d * d}", nameof(covariance));
        foreach (double v in mean)
            if (!double.IsFinite(v)) throw new ArgumentException("mean must be finite", nameof(mean));
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double cij = covariance[i * d + j], cji = covariance[j * d + i];
                if (!double.IsFinite(cij)) throw new ArgumentException("covariance must be finite", nameof(covariance));
                if (Math.Abs(cij - cji) > 1e-12 * Math.Max(1.0, Math.Abs(cij)))
                    throw new ArgumentException($"covariance is not symmetric at ({i},{j})", nameof(covariance));
            }
        _mean = (double[])mean.Clone();
        _covariance = (double[])covariance.Clone();
        _sampleFactor = GetFactor(Smoothing.None).Lower;
    }

    /// <inheritdoc />
    public int Dimension => _mean.Length;

    /// <inheritdoc />
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int d = Dimension;
        if (x.Length != d) throw new ArgumentException($"x has length {x.Length}, expected {d}", nameof(x));
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        rng.FillGaussian(z);
        // x = μ + L z with Σ = L Lᵀ.
        for (int i = 0; i < d; i++)
        {
            double s = _mean[i];
            for (int j = 0; j <= i; j++) s += _sampleFactor[i * d + j] * z[j];
            x[i] = s;
        }
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        int d = Dimension;
        if (x.Length != d) throw new ArgumentException($"x has length {x.Length}, expected {d}", nameof(x));
        if (!score.IsEmpty && score.Length != d) throw new ArgumentException($"score has length {score.Length}, expected {d}", nameof(score));
        Factor f = GetFactor(smoothing);
        double[] l = f.Lower;
        double a = smoothing.Scale;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        // Forward substitution L z = x − aμ; then log p = −½‖z‖² − ½ log det Σ_s − (d/2) log 2π.
        double q = 0;
        for (int i = 0; i < d; i++)
        {
            double s = x[i] - a * _mean[i];
            for (int j = 0; j < i; j++) s -= l[i * d + j] * z[j];
            z[i] = s / l[i * d + i];
            q += z[i] * z[i];
        }
        if (!score.IsEmpty)
        {
            // ∇ log p = −Σ_s⁻¹(x − aμ) = −L⁻ᵀ z (back substitution).
            for (int i = d - 1; i >= 0; i--)
            {
                double s = z[i];
                for (int j = i + 1; j < d; j++) s -= l[j * d + i] * score[j];
                score[i] = s / l[i * d + i];
            }
            for (int i = 0; i < d; i++) score[i] = -score[i];
        }
        return -0.5 * q - 0.5 * f.LogDeterminant - d * StandardNormal.HalfLogTwoPi;
    }

    /// <inheritdoc />
    /// <remarks>Closed form: Δ log N(x; aμ, Σ_s) = −tr(Σ_s⁻¹) = −‖L⁻¹‖²_F, whatever x.</remarks>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        return -_traceOfInverse.GetOrAdd(smoothing, s => TraceOfInverse(GetFactor(s).Lower, Dimension));
    }

    /// <summary>tr(Σ⁻¹) = ‖L⁻¹‖²_F for Σ = L Lᵀ, by forward substitution column by column.</summary>
    static double TraceOfInverse(double[] l, int d)
    {
        double sum = 0;
        var column = new double[d];
        for (int c = 0; c < d; c++)
        {
            // Column c of L⁻¹ solves L y = e_c.
            for (int i = 0; i < d; i++)
            {
                double s = i == c ? 1.0 : 0.0;
                for (int j = 0; j < i; j++) s -= l[i * d + j] * column[j];
                column[i] = s / l[i * d + i];
                sum += column[i] * column[i];
            }
        }
        return sum;
    }

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Validate(smoothing);
        var m = new double[Dimension];
        for (int i = 0; i < m.Length; i++) m[i] = smoothing.Scale * _mean[i];
        return m;
    }

    /// <inheritdoc />
    public double[] Covariance(Smoothing smoothing) => SmoothedCovariance(smoothing);

    /// <inheritdoc />
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        if (coordinate < 0 || coordinate >= d) throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"must be in [0, {d})");
        double a = smoothing.Scale, s = smoothing.Sigma;
        // Coordinate k of N(aμ, a²Σ + σ²I) is N(aμ_k, a²Σ_kk + σ²).
        double sd = Math.Sqrt(a * a * _covariance[coordinate * d + coordinate] + s * s);
        double center = a * _mean[coordinate];
        if (sd == 0) return value >= center ? 1.0 : 0.0;
        return StandardNormal.Cdf((value - center) / sd);
    }

    double[] SmoothedCovariance(Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        double a2 = smoothing.Scale * smoothing.Scale, s2 = smoothing.Sigma * smoothing.Sigma;
        var c = new double[d * d];
        for (int i = 0; i < d * d; i++) c[i] = a2 * _covariance[i];
        for (int i = 0; i < d; i++) c[i * d + i] += s2;
        return c;
    }

    Factor GetFactor(Smoothing smoothing) => _factors.GetOrAdd(smoothing, s => Cholesky(SmoothedCovariance(s), Dimension));

    static Factor Cholesky(double[] c, int d)
    {
        // Cholesky–Banachiewicz, row by row; a non-positive pivot means Σ_s is not positive definite.
        var l = new double[d * d];
        double logDet = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = c[i * d + j];
                for (int k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
                if (i == j)
                {
                    if (!(s > 0))
                        throw new ArgumentException("covariance (after smoothing) is not positive definite");
                    l[i * d + i] = Math.Sqrt(s);
                    logDet += Math.Log(s);
                }
                else l[i * d + j] = s / l[j * d + j];
            }
        }
        return new Factor(l, logDet);
    }

    static void Validate(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
    }
}
