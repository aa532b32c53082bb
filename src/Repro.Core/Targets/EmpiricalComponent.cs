using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// The empirical law p̂ = (1/n) Σᵢ δ_{xᵢ} of a fixed sample. Smoothed, it is the Gaussian kernel
/// density p̂_{a,σ}(x) = (1/n) Σᵢ N(x; a xᵢ, σ²I), whose score is the Tweedie / optimal-denoiser score
/// ∇ log p̂_{a,σ}(x) = (Σᵢ wᵢ a xᵢ − x)/σ², wᵢ ∝ exp(−‖x − a xᵢ‖²/2σ²) — what a perfectly fitted
/// network would learn from exactly this training set.
/// </summary>
/// <remarks>
/// <para>
/// p̂ itself (σ = 0) has no density: <see cref="LogDensity"/> throws there, while sampling, moments
/// and marginal CDFs (a step function) remain defined. Cost per evaluation is O(n·d).
/// </para>
/// <para>
/// On the zero-centre-of-mass subspace (<see cref="EmpiricalComponent(Points, bool)"/> with <c>true</c>: each row
/// a cloud of K points in R³, x₁, y₁, z₁, x₂, …, centred on construction) the smoothing noise is projected there
/// (P·ε, as the E(3) diffusion samplers do, Hoogeboom et al. 2022), so p̂_{a,σ}(x) = (1/n) Σᵢ N_P(x; a xᵢ, σ²P),
/// a density on the subspace with (K − 1)·3 degrees of freedom, and ∇ log p̂_{a,σ}(x) = (Σᵢ wᵢ a xᵢ − P·x)/σ²:
/// Tweedie's optimal denoiser E[a x₀ | x] for exactly this sample, with the centre of mass removed. Off the
/// subspace both are those of P·x (as for <see cref="CentredGaussianCloudComponent"/>).
/// </para>
/// </remarks>
public sealed class EmpiricalComponent : IComponent
{
    readonly double[] _data;
    readonly int _count;

    /// <summary>Creates the empirical law of <paramref name="sample"/> (copied) on all of R^d.</summary>
    /// <param name="sample">n ≥ 1 finite points in d dimensions.</param>
    /// <exception cref="ArgumentException">Empty or non-finite sample.</exception>
    public EmpiricalComponent(Points sample) : this(sample, false)
    {
    }

    /// <summary>
    /// Creates the empirical law of <paramref name="sample"/> (copied), on the zero-centre-of-mass subspace of
    /// clouds of K points in R³ when <paramref name="zeroCentreOfMass"/> is true (each row is then centred).
    /// </summary>
    /// <param name="sample">n ≥ 1 finite points in d dimensions (d = 3K, K ≥ 2, on the subspace).</param>
    /// <param name="zeroCentreOfMass">True: rows are clouds living on the zero-centre-of-mass subspace.</param>
    /// <exception cref="ArgumentException">Empty or non-finite sample, or d not 3K with K ≥ 2 on the subspace.</exception>
    public EmpiricalComponent(Points sample, bool zeroCentreOfMass)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count < 1) throw new ArgumentException("the sample must contain at least one point", nameof(sample));
        foreach (double v in sample.Data)
            if (!double.IsFinite(v)) throw new ArgumentException("the sample must be finite", nameof(sample));
        if (zeroCentreOfMass && (sample.Dimension % 3 != 0 || sample.Dimension < 6))
            throw new ArgumentException($"a cloud row has 3K coordinates with K ≥ 2, got d = {sample.Dimension}", nameof(sample));
        _data = (double[])sample.Data.Clone();
        _count = sample.Count;
        Dimension = sample.Dimension;
        ZeroCentreOfMass = zeroCentreOfMass;
        if (zeroCentreOfMass)
            for (int i = 0; i < _count; i++) CentredGaussianCloudComponent.RemoveCentreOfMass(_data.AsSpan(i * Dimension, Dimension));
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>True when the law lives on the zero-centre-of-mass subspace (rows centred, noise projected).</summary>
    public bool ZeroCentreOfMass { get; }

    /// <summary>Degrees of freedom of the state space: d, or (K − 1)·3 = d − 3 on the zero-centre-of-mass subspace.</summary>
    public int DegreesOfFreedom => ZeroCentreOfMass ? Dimension - 3 : Dimension;

    /// <summary>The n points (centred on the subspace), n × d.</summary>
    public Points Points => new((double[])_data.Clone(), Dimension);

    /// <inheritdoc/>
    /// <remarks>On the zero-centre-of-mass subspace removes the centre of mass; otherwise the whole space (no change).</remarks>
    public void ConstrainNoise(Span<double> noise)
    {
        if (ZeroCentreOfMass) CentredGaussianCloudComponent.RemoveCentreOfMass(noise);
    }

    /// <summary>x itself, or P·x (a copy) on the zero-centre-of-mass subspace.</summary>
    ReadOnlySpan<double> Project(ReadOnlySpan<double> x)
    {
        if (!ZeroCentreOfMass) return x;
        var copy = x.ToArray();
        CentredGaussianCloudComponent.RemoveCentreOfMass(copy);
        return copy;
    }

    /// <summary>Number of sample points n.</summary>
    public int Count => _count;

    /// <inheritdoc />
    /// <remarks>Draws one of the n points uniformly (resampling with replacement).</remarks>
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Length != Dimension) throw new ArgumentException($"x has length {x.Length}, expected {Dimension}", nameof(x));
        int i = rng.NextInt(_count);
        _data.AsSpan(i * Dimension, Dimension).CopyTo(x);
    }

    /// <inheritdoc />
    public bool HasDensity(Smoothing smoothing) => smoothing.Sigma > 0;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">σ = 0: the empirical law has no density.</exception>
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        Validate(smoothing);
        int d = Dimension;
        if (x.Length != d) throw new ArgumentException($"x has length {x.Length}, expected {d}", nameof(x));
        if (!score.IsEmpty && score.Length != d) throw new ArgumentException($"score has length {score.Length}, expected {d}", nameof(score));
        double sigma = smoothing.Sigma;
        if (sigma == 0)
            throw new ArgumentException("an empirical distribution has no density at σ = 0; use a smoothing with σ > 0", nameof(smoothing));
        x = Project(x);
        double a = smoothing.Scale, inv2s2 = 1.0 / (2 * sigma * sigma);
        bool wantScore = !score.IsEmpty;
        Span<double> acc = wantScore ? score : Span<double>.Empty;
        if (wantScore) acc.Clear();
        // Streaming log-sum-exp: keep the running maximum exponent M, S = Σ exp(eᵢ − M) and
        // acc = Σ exp(eᵢ − M)·a xᵢ, rescaling both whenever M increases.
        double max = double.NegativeInfinity, sum = 0;
        for (int i = 0; i < _count; i++)
        {
            int o = i * d;
            double q = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = x[j] - a * _data[o + j];
                q += diff * diff;
            }
            double e = -q * inv2s2;
            if (double.IsNegativeInfinity(e)) continue; // weight 0 (and −∞ − −∞ would be NaN)
            double w;
            if (e > max)
            {
                double rescale = Math.Exp(max - e);
                sum *= rescale;
                if (wantScore) for (int j = 0; j < d; j++) acc[j] *= rescale;
                max = e;
                w = 1.0;
            }
            else w = Math.Exp(e - max);
            sum += w;
            if (wantScore) for (int j = 0; j < d; j++) acc[j] += w * a * _data[o + j];
        }
        if (double.IsNegativeInfinity(max))
        {
            // Every ‖x − a xᵢ‖² overflowed: log p̂ is below −1.8e308, but the score is finite.
            if (wantScore) TailScore(x, a, sigma, score);
            return double.NegativeInfinity;
        }
        if (wantScore)
            for (int j = 0; j < d; j++) score[j] = (acc[j] / sum - x[j]) / (sigma * sigma);
        return max + Math.Log(sum) - Math.Log(_count) - DegreesOfFreedom * (StandardNormal.HalfLogTwoPi + Math.Log(sigma));
    }

    /// <summary>
    /// The score where every squared distance overflows: the same weighted mean with distances in
    /// units of t = max_j |x_j|, wᵢ = exp(−(q′ᵢ − min q′)·t²/2σ²), q′ᵢ = ‖(x − a xᵢ)/t‖².
    /// </summary>
    void TailScore(ReadOnlySpan<double> x, double a, double sigma, Span<double> score)
    {
        int d = Dimension;
        double t = 0;
        for (int j = 0; j < d; j++) t = Math.Max(t, Math.Abs(x[j]));
        var q = new double[_count];
        double min = double.PositiveInfinity;
        for (int i = 0; i < _count; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = (x[j] - a * _data[i * d + j]) / t;
                s += diff * diff;
            }
            q[i] = s;
            min = Math.Min(min, s);
        }
        double scale = t / (2 * sigma * sigma), sum = 0;
        score.Clear();
        for (int i = 0; i < _count; i++)
        {
            double gap = q[i] - min;
            double w = gap == 0 ? 1.0 : Math.Exp(-(gap * t) * scale);
            if (w == 0) continue;
            sum += w;
            for (int j = 0; j < d; j++) score[j] += w * a * _data[i * d + j];
        }
        for (int j = 0; j < d; j++) score[j] = (score[j] / sum - x[j]) / (sigma * sigma);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Closed form for the kernel density, a mixture of N(a xᵢ, σ²I) with weights wᵢ(x):
    /// Δ log p = −d/σ² + (Σᵢ wᵢ ‖x − a xᵢ‖² − ‖Σᵢ wᵢ (x − a xᵢ)‖²)/σ⁴, the posterior variance of a xᵢ over σ⁴
    /// (on the zero-centre-of-mass subspace (K − 1)·3 in place of d, at P·x).
    /// </remarks>
    /// <exception cref="ArgumentException">σ = 0: the empirical law has no density.</exception>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        if (x.Length != d) throw new ArgumentException($"x has length {x.Length}, expected {d}", nameof(x));
        double sigma = smoothing.Sigma;
        if (sigma == 0)
            throw new ArgumentException("an empirical distribution has no density at σ = 0; use a smoothing with σ > 0", nameof(smoothing));
        x = Project(x);
        double a = smoothing.Scale, s2 = sigma * sigma;
        // Weights relative to the nearest centre, so no exponent underflows for all i.
        double best = double.PositiveInfinity;
        var q = new double[_count];
        for (int i = 0; i < _count; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = x[j] - a * _data[i * d + j];
                sum += diff * diff;
            }
            q[i] = sum;
            best = Math.Min(best, sum);
        }
        double total = 0, meanSquare = 0;
        var mean = new double[d];
        for (int i = 0; i < _count; i++)
        {
            double w = Math.Exp(-(q[i] - best) / (2 * s2));
            total += w;
            meanSquare += w * q[i];
            for (int j = 0; j < d; j++) mean[j] += w * (x[j] - a * _data[i * d + j]);
        }
        double norm = 0;
        for (int j = 0; j < d; j++) norm += (mean[j] / total) * (mean[j] / total);
        return -DegreesOfFreedom / s2 + (meanSquare / total - norm) / (s2 * s2);
    }

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        var m = new double[d];
        for (int i = 0; i < _count; i++)
            for (int j = 0; j < d; j++) m[j] += _data[i * d + j];
        for (int j = 0; j < d; j++) m[j] *= smoothing.Scale / _count;
        return m;
    }

    /// <inheritdoc />
    /// <remarks>a²·(1/n)Σᵢ(xᵢ − x̄)(xᵢ − x̄)ᵀ + σ²I (σ²P on the zero-centre-of-mass subspace): the population covariance of the sample, not the unbiased one.</remarks>
    public double[] Covariance(Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        double[] mean = Mean(Smoothing.None);
        var c = new double[d * d];
        for (int i = 0; i < _count; i++)
            for (int j = 0; j < d; j++)
            {
                double dj = _data[i * d + j] - mean[j];
                for (int k = 0; k < d; k++) c[j * d + k] += dj * (_data[i * d + k] - mean[k]);
            }
        double a2 = smoothing.Scale * smoothing.Scale, s2 = smoothing.Sigma * smoothing.Sigma;
        for (int j = 0; j < d * d; j++) c[j] *= a2 / _count;
        if (!ZeroCentreOfMass)
        {
            for (int j = 0; j < d; j++) c[j * d + j] += s2;
            return c;
        }
        // P: entry ((i, c), (j, c′)) is δ_{cc′}·(δ_{ij} − 1/K).
        int points = d / 3;
        for (int p = 0; p < points; p++)
            for (int q = 0; q < points; q++)
                for (int axis = 0; axis < 3; axis++)
                    c[(3 * p + axis) * d + 3 * q + axis] += s2 * ((p == q ? 1.0 : 0.0) - 1.0 / points);
        return c;
    }

    /// <inheritdoc />
    /// <remarks>(1/n)Σᵢ Φ((value − a xᵢₖ)/σ′), σ′ = σ (σ·√(1 − 1/K) on the zero-centre-of-mass subspace); the empirical step CDF at σ = 0.</remarks>
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        Validate(smoothing);
        int d = Dimension;
        if (coordinate < 0 || coordinate >= d) throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"must be in [0, {d})");
        double a = smoothing.Scale, sigma = smoothing.Sigma, f = 0;
        if (ZeroCentreOfMass) sigma *= Math.Sqrt(1 - 3.0 / d);
        for (int i = 0; i < _count; i++)
        {
            double center = a * _data[i * d + coordinate];
            f += sigma == 0 ? (value >= center ? 1.0 : 0.0) : StandardNormal.Cdf((value - center) / sigma);
        }
        return f / _count;
    }

    static void Validate(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
    }
}
