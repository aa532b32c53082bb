using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A noisy line segment in 2D: x ~ U[from, to], y = slope·x + intercept + noise·η with η ~ N(0, 1).
/// Exact log-density and score of p₀ and, in closed form through Φ and φ, of every smoothing
/// a·(x, y) + σε.
/// </summary>
/// <remarks>
/// <para>
/// <b>Support convention for p₀.</b> The density of p₀ jumps to zero at x = from and x = to. A point
/// with x outside [from, to] (x/a outside it under a σ = 0 smoothing with scale a) is outside the
/// support: log p = −∞ and the score is zero. The endpoints themselves belong to the support.
/// </para>
/// <para>
/// <b>Smoothed density.</b> With k = slope, c = intercept, s = noise, L = to − from, y′ = y − a c,
/// τ² = a²s² + σ² and V = τ² + k²σ², conditional on u the point is N(a(u, k u + c), diag(σ², τ²)).
/// Completing the square in u and integrating over [from, to] gives
/// p(x, y) = N(y′; k x, V) · [Φ(β) − Φ(α)] / (a L), with
/// α = (a V·from − w)/(σ τ √V), β = (a V·to − w)/(σ τ √V), w = x τ² + k y′ σ².
/// The first factor is the density of the infinite line blurred; the second is the probability that
/// the posterior of u given the point lands on the segment, evaluated by
/// <see cref="StandardNormal.TruncatedMass"/> (with G below) so that both stay exact in the tails,
/// and the score stays finite and right where the log-density itself leaves the double range.
/// The score follows by differentiating: with r = y′ − k x and G = (φ(β) − φ(α))/(Φ(β) − Φ(α)),
/// ∂ₓ log p = k r/V − G τ/(σ√V) and ∂_y log p = −r/V − G k σ/(τ√V).
/// At a = 0 the law is N(0, σ²I) whatever the segment.
/// </para>
/// </remarks>
public sealed class NoisySegmentComponent : IComponent
{
    readonly double _from, _to, _slope, _intercept, _noise;

    /// <summary>Creates the segment component.</summary>
    /// <param name="from">Left end of the x range.</param>
    /// <param name="to">Right end of the x range, &gt; <paramref name="from"/>.</param>
    /// <param name="slope">k, the line's slope dy/dx.</param>
    /// <param name="intercept">c, the line's value at x = 0.</param>
    /// <param name="noise">s &gt; 0, the standard deviation of y about the line.</param>
    /// <exception cref="ArgumentException">Non-finite parameters, to ≤ from, or noise ≤ 0.</exception>
    public NoisySegmentComponent(double from, double to, double slope, double intercept, double noise)
    {
        if (!double.IsFinite(from) || !double.IsFinite(to) || !(to > from))
            throw new ArgumentException($"need finite from < to, got [{from}, {to}]", nameof(to));
        if (!double.IsFinite(slope) || !double.IsFinite(intercept))
            throw new ArgumentException("slope and intercept must be finite", nameof(slope));
        if (!double.IsFinite(noise) || !(noise > 0))
            throw new ArgumentException($"noise must be finite and > 0, got {noise}", nameof(noise));
        (_from, _to, _slope, _intercept, _noise) = (from, to, slope, intercept, noise);
    }

    /// <inheritdoc />
    public int Dimension => 2;

    /// <inheritdoc />
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Length != 2) throw new ArgumentException($"x has length {x.Length}, expected 2", nameof(x));
        double u = rng.NextUniform(_from, _to);
        x[0] = u;
        x[1] = _slope * u + _intercept + _noise * rng.NextGaussian();
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        Validate(smoothing);
        if (smoothing.Scale == 0 && smoothing.Sigma == 0)
            throw new ArgumentException("a = 0 and σ = 0 is a point mass at the origin, which has no density", nameof(smoothing));
        if (x.Length != 2) throw new ArgumentException($"x has length {x.Length}, expected 2", nameof(x));
        if (!score.IsEmpty && score.Length != 2) throw new ArgumentException($"score has length {score.Length}, expected 2", nameof(score));
        double a = smoothing.Scale, sigma = smoothing.Sigma;
        double px = x[0], py = x[1];
        double k = _slope, length = _to - _from;

        if (a == 0)
        {
            // a·x₀ vanishes: the law is N(0, σ²I).
            double s2 = sigma * sigma;
            if (!score.IsEmpty) { score[0] = -px / s2; score[1] = -py / s2; }
            return -(px * px + py * py) / (2 * s2) - Math.Log(2 * Math.PI * s2) / 2;
        }

        double yPrime = py - a * _intercept;
        double r = yPrime - k * px;

        if (sigma == 0)
        {
            // p₀ scaled by a: u = x/a uniform on [from, to], y′ − k x ~ N(0, a²s²).
            double u = px / a;
            if (!(u >= _from && u <= _to))
            {
                if (!score.IsEmpty) score.Clear();
                return double.NegativeInfinity;
            }
            double v0 = a * a * _noise * _noise;
            if (!score.IsEmpty) { score[0] = k * r / v0; score[1] = -r / v0; }
            return -Math.Log(a * length) - 0.5 * Math.Log(2 * Math.PI * v0) - r * r / (2 * v0);
        }

        double tau2 = a * a * _noise * _noise + sigma * sigma;
        double tau = Math.Sqrt(tau2);
        double v = tau2 + k * k * sigma * sigma;
        double sqrtV = Math.Sqrt(v);
        double w = px * tau2 + k * yPrime * sigma * sigma;
        double denom = sigma * tau * sqrtV;
        double alpha = (a * v * _from - w) / denom;
        // β − α = a V L/(σ τ √V), passed as a width so it survives where α is huge.
        var (logMass, g) = StandardNormal.TruncatedMass(alpha, a * v * length / denom);

        if (!score.IsEmpty)
        {
            score[0] = k * r / v - g * tau / (sigma * sqrtV);
            score[1] = -r / v - g * k * sigma / (tau * sqrtV);
        }
        return -Math.Log(a * length) - 0.5 * Math.Log(2 * Math.PI * v) - r * r / (2 * v) + logMass;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Closed form from the log-density above. −r²/(2V) contributes −(1 + k²)/V. The segment mass
    /// log[Φ(β) − Φ(α)] depends on the point only through u = w/(στ√V) (α = α₀ − u, β = β₀ − u), with
    /// d²/du² = −(βφ(β) − αφ(α))/M − G² (M = Φ(β) − Φ(α), G = (φ(β) − φ(α))/M) and
    /// ‖∇u‖² = (τ⁴ + k²σ⁴)/(σ²τ²V). At σ = 0, inside the support: −(1 + k²)/(a²s²) (the jumps at the
    /// ends are not differentiable and are left out); at a = 0: −2/σ².
    /// </remarks>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        Validate(smoothing);
        if (x.Length != 2) throw new ArgumentException($"x has length {x.Length}, expected 2", nameof(x));
        double a = smoothing.Scale, sigma = smoothing.Sigma, k = _slope;
        if (a == 0)
        {
            if (sigma == 0) throw new ArgumentException("a = 0 and σ = 0 is a point mass at the origin, which has no density", nameof(smoothing));
            return -2 / (sigma * sigma);
        }
        if (sigma == 0)
        {
            double u0 = x[0] / a;
            if (!(u0 >= _from && u0 <= _to)) return 0;
            return -(1 + k * k) / (a * a * _noise * _noise);
        }
        double yPrime = x[1] - a * _intercept;
        double tau2 = a * a * _noise * _noise + sigma * sigma, tau = Math.Sqrt(tau2);
        double v = tau2 + k * k * sigma * sigma, sqrtV = Math.Sqrt(v);
        double w = x[0] * tau2 + k * yPrime * sigma * sigma;
        double denom = sigma * tau * sqrtV;
        double alpha = (a * v * _from - w) / denom, beta = (a * v * _to - w) / denom;
        double logMass = StandardNormal.LogDiffNormalCdf(alpha, beta);
        double phiB = Math.Exp(StandardNormal.LogPdf(beta) - logMass), phiA = Math.Exp(StandardNormal.LogPdf(alpha) - logMass);
        double g = phiB - phiA;
        double second = -(beta * phiB - alpha * phiA) - g * g;
        double gradU2 = (tau2 * tau2 + k * k * sigma * sigma * sigma * sigma) / (denom * denom);
        return -(1 + k * k) / v + second * gradU2;
    }

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Validate(smoothing);
        double a = smoothing.Scale, mu = 0.5 * (_from + _to);
        return [a * mu, a * (_slope * mu + _intercept)];
    }

    /// <inheritdoc />
    public double[] Covariance(Smoothing smoothing)
    {
        Validate(smoothing);
        double a2 = smoothing.Scale * smoothing.Scale, s2 = smoothing.Sigma * smoothing.Sigma;
        double length = _to - _from, varU = length * length / 12.0;
        // Cov(u, k u + c + s η) = [[v, k v], [k v, k² v + s²]] with v = L²/12; then a²·(·) + σ²I.
        return
        [
            a2 * varU + s2, a2 * _slope * varU,
            a2 * _slope * varU, a2 * (_slope * _slope * varU + _noise * _noise) + s2,
        ];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Coordinate 0 is U[a·from, a·to] + N(0, σ²); coordinate 1 is U over the image of a(k u + c)
    /// plus N(0, a²s² + σ²) (a point mass when k = 0 or a = 0).
    /// </remarks>
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        Validate(smoothing);
        double a = smoothing.Scale, sigma = smoothing.Sigma;
        switch (coordinate)
        {
            case 0:
                return UniformPlusNormalCdf(a * _from, a * _to, sigma, value);
            case 1:
                double y0 = a * (_slope * _from + _intercept), y1 = a * (_slope * _to + _intercept);
                double sd = Math.Sqrt(a * a * _noise * _noise + sigma * sigma);
                return UniformPlusNormalCdf(Math.Min(y0, y1), Math.Max(y0, y1), sd, value);
            default:
                throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, "must be 0 or 1");
        }
    }

    /// <summary>
    /// CDF at v of U[lo, hi] + N(0, sd²): sd/(hi − lo)·[ψ((v − lo)/sd) − ψ((v − hi)/sd)] with
    /// ψ(z) = zΦ(z) + φ(z), the antiderivative of Φ; the uniform CDF when sd = 0 and the normal CDF
    /// when the interval is negligible against sd.
    /// </summary>
    internal static double UniformPlusNormalCdf(double lo, double hi, double sd, double v)
    {
        double width = hi - lo;
        if (sd == 0)
        {
            if (width == 0) return v >= lo ? 1.0 : 0.0;
            return Math.Clamp((v - lo) / width, 0.0, 1.0);
        }
        // Below 1e-8·sd the interval changes the CDF by O(width²/sd²) < 1e-16.
        if (width <= 1e-8 * sd) return StandardNormal.Cdf((v - 0.5 * (lo + hi)) / sd);
        static double Psi(double z) => z * StandardNormal.Cdf(z) + StandardNormal.Pdf(z);
        return Math.Clamp(sd / width * (Psi((v - lo) / sd) - Psi((v - hi) / sd)), 0.0, 1.0);
    }

    static void Validate(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
    }
}
