using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// The irreducible denoising-score-matching loss of a target at noise level σ: the value that a
/// perfect network s = ∇log p_σ attains, against which a training curve is judged.
/// </summary>
/// <remarks>
/// DSM at σ is E‖s(x̃) + ε/σ‖² with x̃ = x₀ + σε, x₀ ~ p₀. Expanding and using Tweedie
/// (E[ε | x̃] = −σ∇log p_σ(x̃)) gives E‖s − ∇log p_σ‖² + d/σ² − J(p_σ), J = E_{p_σ}‖∇log p_σ‖²
/// (Vincent 2011, eq. 11); hence the minimum d/σ² − J(p_σ). Both results here are divided by d,
/// matching a training loss averaged over batch and coordinates. On a target that lives on a subspace
/// (zero centre of mass, <see cref="Mixture.ConstrainsNoise"/>) DSM's noise is projected there, ε ↦ Pε, and
/// E‖Pε‖² = tr P = f, the subspace's degrees of freedom ((K − 1)·m for K points in m dimensions), so the
/// floor is (f/σ² − J(p_σ))/d (Hoogeboom et al. 2022, EDM for molecules, eq. 12: the loss counts the
/// subspace's dimensions only).
/// </remarks>
public static class LossFloor
{
    /// <summary>Dimensions up to which <see cref="Compute"/> integrates on a grid (1D, 2D) instead of sampling.</summary>
    public const int MaxQuadratureDimension = 2;

    /// <summary>The most grid points <see cref="Quadrature"/> evaluates on one level (beyond it, Monte Carlo).</summary>
    public const long MaxGridPoints = 1L << 22;

    /// <summary>
    /// The per-dimension floor as the runner and the calibration use it: by <see cref="Quadrature"/> where the
    /// dimension allows (d ≤ <see cref="MaxQuadratureDimension"/>) and the grid stays affordable, otherwise the
    /// Monte Carlo <see cref="Estimate"/> with <paramref name="samples"/> draws from <paramref name="rng"/>
    /// (the quadrature draws nothing).
    /// </summary>
    public static LossFloorResult Compute(Mixture target, double sigma, int samples, RandomStream rng) =>
        Quadrature(target, sigma) ?? Estimate(target, sigma, samples, rng);

    /// <summary>
    /// The per-dimension floor (d/σ² − J(p_σ))/d with the Fisher information J = ∫ p_σ ‖∇log p_σ‖² dx by the
    /// trapezoid rule on a uniform grid, for d ≤ <see cref="MaxQuadratureDimension"/>; null when d is larger or
    /// the grid would exceed <see cref="MaxGridPoints"/>.
    /// </summary>
    /// <remarks>
    /// p_σ is p₀ convolved with N(0, σ²I), so the integrand is smooth on the scale σ and decays like a Gaussian:
    /// the trapezoid rule over the whole line converges faster than any power of the step h (Trefethen &amp;
    /// Weideman 2014, SIAM Review 56(3), §5). The grid covers, per coordinate, every component's mean ± 12 of its
    /// smoothed standard deviations; it starts at h = σ/2 and halves h until two successive values of J agree to
    /// 1e-11 relative (at least one halving). <see cref="LossFloorResult.StandardError"/> is then that last
    /// difference per dimension (an error estimate, not a standard error), and <see cref="LossFloorResult.Samples"/>
    /// the final grid's size. The same rule integrates p_σ itself, which must come to 1 within 1e-9; otherwise the
    /// box is widened (twice at most) before the method gives up by throwing.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">σ not finite and &gt; 0.</exception>
    /// <exception cref="InvalidOperationException">The grid does not converge or misses mass (a target that is not smooth at scale σ).</exception>
    public static LossFloorResult? Quadrature(Mixture target, double sigma)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        int d = target.Dimension;
        if (d > MaxQuadratureDimension || target.ConstrainsNoise) return null;
        var smoothing = Smoothing.Gaussian(sigma);
        for (double widths = 12; widths <= 48; widths *= 2)
        {
            var (lo, hi) = Box(target, smoothing, widths);
            double h = sigma / 2;
            if (GridSize(lo, hi, h / 2) > MaxGridPoints) return null;
            var (fisher, mass, points) = Trapezoid(target, smoothing, lo, hi, h);
            double change = double.PositiveInfinity;
            while (true)
            {
                h /= 2;
                if (GridSize(lo, hi, h) > MaxGridPoints)
                    throw new InvalidOperationException(FormattableString.Invariant(
                        $"loss-floor quadrature at σ = {sigma}: J did not settle before the grid reached {MaxGridPoints} points (last change {change:G3})"));
                var (f2, m2, n2) = Trapezoid(target, smoothing, lo, hi, h);
                change = Math.Abs(f2 - fisher);
                (fisher, mass, points) = (f2, m2, n2);
                if (change <= 1e-11 * Math.Max(1, Math.Abs(fisher))) break;
            }
            if (Math.Abs(mass - 1) > 1e-9) continue; // the box cut off mass: widen it
            return new LossFloorResult((d / (sigma * sigma) - fisher) / d, change / d, checked((int)points), sigma)
            { Method = LossFloorMethod.Quadrature };
        }
        throw new InvalidOperationException(FormattableString.Invariant(
            $"loss-floor quadrature at σ = {sigma}: p_σ does not integrate to 1 over 48 standard deviations of its components"));
    }

    /// <summary>Per coordinate, [min_k m_k − w·sd_k, max_k m_k + w·sd_k] over the components of positive weight.</summary>
    static (double[] Lo, double[] Hi) Box(Mixture target, Smoothing smoothing, double widths)
    {
        int d = target.Dimension;
        var lo = Enumerable.Repeat(double.PositiveInfinity, d).ToArray();
        var hi = Enumerable.Repeat(double.NegativeInfinity, d).ToArray();
        for (int k = 0; k < target.Components.Count; k++)
        {
            if (!(target.Weights[k] > 0)) continue;
            double[] m = target.Components[k].Mean(smoothing), c = target.Components[k].Covariance(smoothing);
            for (int i = 0; i < d; i++)
            {
                double sd = Math.Sqrt(c[i * d + i]);
                lo[i] = Math.Min(lo[i], m[i] - widths * sd);
                hi[i] = Math.Max(hi[i], m[i] + widths * sd);
            }
        }
        return (lo, hi);
    }

    static long GridSize(double[] lo, double[] hi, double h)
    {
        long n = 1;
        for (int i = 0; i < lo.Length; i++) n = checked(n * Nodes(lo[i], hi[i], h));
        return n;
    }

    static int Nodes(double lo, double hi, double h) => (int)Math.Ceiling((hi - lo) / h) + 1;

    /// <summary>h^d Σ over the grid lo + h·i of p_σ‖∇log p_σ‖² and of p_σ (compensated sums), and the node count.</summary>
    static (double Fisher, double Mass, long Points) Trapezoid(Mixture target, Smoothing smoothing, double[] lo, double[] hi, double h)
    {
        int d = lo.Length;
        int nx = Nodes(lo[0], hi[0], h), ny = d == 2 ? Nodes(lo[1], hi[1], h) : 1;
        var row = Points.Zeros(nx, d);
        var fisher = new NeumaierSum();
        var mass = new NeumaierSum();
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                row.Data[i * d] = lo[0] + i * h;
                if (d == 2) row.Data[i * d + 1] = lo[1] + j * h;
            }
            var (logp, score) = target.LogDensityAndScore(row, smoothing);
            for (int i = 0; i < nx; i++)
            {
                double p = Math.Exp(logp[i]);
                if (p == 0) continue;
                double q = 0;
                foreach (double v in score.Row(i)) q += v * v;
                fisher.Add(p * q);
                mass.Add(p);
            }
        }
        double cell = Math.Pow(h, d);
        return (fisher.Value * cell, mass.Value * cell, (long)nx * ny);
    }

    /// <summary>Neumaier's compensated summation (the grid sums ~10⁶ terms of very different sizes).</summary>
    struct NeumaierSum
    {
        double _sum, _compensation;

        public void Add(double v)
        {
            double t = _sum + v;
            _compensation += Math.Abs(_sum) >= Math.Abs(v) ? (_sum - t) + v : (v - t) + _sum;
            _sum = t;
        }

        public readonly double Value => _sum + _compensation;
    }

    /// <summary>
    /// Estimates the per-dimension floor (f/σ² − J(p_σ))/d as the mean over n draws x̃ = x₀ + σ·noise,
    /// x₀ ~ p₀, of (f/σ² − ‖∇log p_σ(x̃)‖²)/d, with f = <see cref="DegreesOfFreedom"/> (d on all of R^d; the
    /// noise projected when the target lives on a subspace). Uses the children "x0" and "noise" of <paramref name="rng"/>.
    /// </summary>
    /// <param name="target">The target p₀.</param>
    /// <param name="sigma">σ &gt; 0.</param>
    /// <param name="samples">n ≥ 2.</param>
    /// <param name="rng">Source of all randomness.</param>
    public static LossFloorResult Estimate(Mixture target, double sigma, int samples, RandomStream rng)
    {
        var (x, _) = Perturb(target, sigma, samples, rng);
        Points score = target.Score(x, Smoothing.Gaussian(sigma));
        int d = target.Dimension;
        double dOverS2 = DegreesOfFreedom(target) / (sigma * sigma);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double q = 0;
            foreach (double v in score.Row(i)) q += v * v;
            values[i] = (dOverS2 - q) / d;
        }
        return Summarise(values, sigma);
    }

    /// <summary>
    /// The DSM loss of the exact score itself, mean over (x₀, ε) of ‖∇log p_σ(x₀ + σε) + ε/σ‖²/d:
    /// an independent check of <see cref="Estimate"/> (equal in expectation, larger variance).
    /// Uses the children "x0" and "noise" of <paramref name="rng"/>.
    /// </summary>
    public static LossFloorResult MonteCarloDsmLoss(Mixture target, double sigma, int samples, RandomStream rng)
    {
        var (x, noise) = Perturb(target, sigma, samples, rng);
        Points score = target.Score(x, Smoothing.Gaussian(sigma));
        int d = target.Dimension;
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double q = 0;
            for (int j = 0; j < d; j++)
            {
                double r = score.Data[i * d + j] + noise.Data[i * d + j] / sigma;
                q += r * r;
            }
            values[i] = q / d;
        }
        return Summarise(values, sigma);
    }

    /// <summary>
    /// The per-dimension floor of DSM over a distribution of levels, E_σ[λ(σ)(f/σ² − J(p_σ))]/d (f = d, or (K − 1)·3 on the zero-centre-of-mass subspace), with σ
    /// at quantile u of that distribution given by <paramref name="level"/>: a midpoint rule over
    /// <paramref name="strata"/> equal-probability strata in u (uₖ = (k + ½)/K; the integrand is smooth
    /// in u, so its error is O(K⁻²) and far below the Monte Carlo error at K = 100), and in each stratum
    /// the mean of λ(σₖ)(d/σₖ² − ‖∇log p_σₖ(x)‖²)/d over ⌊n/K⌋ draws x ~ p_σₖ. The standard error
    /// is √(Σₖ Varₖ/m)/K. Uses the children "level"/k of <paramref name="rng"/>.
    /// </summary>
    /// <param name="target">The target p₀.</param>
    /// <param name="level">σ &gt; 0 at quantile u ∈ (0, 1).</param>
    /// <param name="weight">λ(σ) ≥ 0.</param>
    /// <param name="strata">K ≥ 1.</param>
    /// <param name="samples">n ≥ 2K.</param>
    /// <param name="rng">Source of all randomness.</param>
    /// <param name="sigma">The σ recorded in the result (the objective's read level).</param>
    public static LossFloorResult OverLevels(Mixture target, Func<double, double> level, Func<double, double> weight, int strata,
        int samples, RandomStream rng, double sigma)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(strata, 1);
        int m = samples / strata;
        if (m < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"need at least 2 draws per stratum ({2 * strata})");
        int d = target.Dimension;
        // f = d on all of R^d; (K − 1)·3 on the zero-centre-of-mass subspace, where the noise is projected.
        int f = DegreesOfFreedom(target);
        double floor = 0, variance = 0;
        for (int k = 0; k < strata; k++)
        {
            double s = level((k + 0.5) / strata), lambda = weight(s);
            var law = Smoothing.Gaussian(s);
            Points x = target.Sample(m, law, rng.Child("level").Child(k));
            Points score = target.Score(x, law);
            var values = new double[m];
            for (int i = 0; i < m; i++)
            {
                double q = 0;
                foreach (double v in score.Row(i)) q += v * v;
                values[i] = lambda * (f / (s * s) - q) / d;
            }
            double mean = values.Sum() / m, ss = 0;
            foreach (double v in values) ss += (v - mean) * (v - mean);
            floor += mean / strata;
            variance += ss / (m - 1) / m;
        }
        return new LossFloorResult(floor, Math.Sqrt(variance) / strata, m * strata, sigma);
    }

    /// <summary>
    /// f = tr P = E‖Pε‖², the dimension of the space DSM's noise fills: d for a target on all of R^d; for one on
    /// a subspace, the trace of its noise projection, computed exactly by projecting the d unit vectors
    /// ((K − 1)·m for K points in m dimensions with zero centre of mass).
    /// </summary>
    public static int DegreesOfFreedom(Mixture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int d = target.Dimension;
        if (!target.ConstrainsNoise) return d;
        double trace = 0;
        var e = new double[d];
        for (int j = 0; j < d; j++)
        {
            Array.Clear(e);
            e[j] = 1;
            target.ConstrainNoise(e);
            trace += e[j];
        }
        // A projection's trace is its rank, an integer; rounding removes the sum's float error.
        return (int)Math.Round(trace);
    }

    /// <summary>x̃ = x₀ + σε for n draws x₀ ~ p₀, ε ~ N(0, I) (projected, ε ↦ Pε, when the target lives on a subspace); returns x̃ and ε.</summary>
    static (Points Perturbed, Points Noise) Perturb(Mixture target, double sigma, int samples, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be finite and > 0");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least 2 for a standard error");
        Points x = target.Sample(samples, rng.Child("x0"));
        var noise = Points.Zeros(samples, target.Dimension);
        rng.Child("noise").FillGaussian(noise.Data);
        if (target.ConstrainsNoise)
            for (int i = 0; i < samples; i++) target.ConstrainNoise(noise.Data.AsSpan(i * target.Dimension, target.Dimension));
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] += sigma * noise.Data[i];
        return (x, noise);
    }

    static LossFloorResult Summarise(double[] values, double sigma)
    {
        int n = values.Length;
        // Two-pass mean and variance: the values can be large (d/σ²) with small spread.
        double mean = values.Sum() / n;
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return new LossFloorResult(mean, Math.Sqrt(ss / (n - 1) / n), n, sigma);
    }
}
