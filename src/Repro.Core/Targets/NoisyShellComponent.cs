using Repro.Core.Random;

namespace Repro.Core.Targets;

/// <summary>
/// A noisy spherical shell in R³: x₀ = r·u + s·η with u uniform on the unit sphere and η ~ N(0, I₃).
/// Rotation invariant; a mixture of shells of different radii is the rotation average of a mixture of
/// isotropic Gaussians with means at those distances from the origin.
/// </summary>
/// <remarks>
/// Under <see cref="Smoothing"/> (a, σ) the law is the same kind of shell with radius ρ = a·r and
/// jitter variance v = a²s² + σ². Averaging N(x; ρu, vI) over the sphere with E_u exp(κ u·e) = sinh κ/κ
/// gives, with κ = ρ‖x‖/v,
/// log p(x) = −(3/2)·log(2πv) − (‖x‖² + ρ²)/(2v) + log(sinh κ/κ),
/// ∇log p(x) = −x/v + (ρ/v)·L(κ)·x/‖x‖, with the Langevin function L(κ) = coth κ − 1/κ.
/// log(sinh κ/κ) is evaluated as κ − log 2 + log(1 − e^{−2κ}) − log κ for κ ≥ 1, so it stays finite for
/// any ρ‖x‖/v; L(κ)/κ uses its Taylor series below κ = 0.05, where coth κ − 1/κ cancels.
/// Each coordinate is ρ·u₁ + √v·η₁ with u₁ uniform on [−1, 1] (Archimedes' hat-box theorem).
/// </remarks>
public sealed class NoisyShellComponent : IComponent
{
    readonly double _radius, _jitter;

    /// <summary>Creates the shell.</summary>
    /// <param name="radius">r ≥ 0, the shell's radius (0 gives the Gaussian N(0, s²I)).</param>
    /// <param name="jitter">s &gt; 0, the standard deviation of the isotropic Gaussian jitter about the sphere.</param>
    /// <exception cref="ArgumentException">r &lt; 0, s ≤ 0 or a non-finite parameter.</exception>
    public NoisyShellComponent(double radius, double jitter)
    {
        if (!double.IsFinite(radius) || !(radius >= 0)) throw new ArgumentException($"radius must be finite and ≥ 0, got {radius}", nameof(radius));
        if (!double.IsFinite(jitter) || !(jitter > 0)) throw new ArgumentException($"jitter must be finite and > 0, got {jitter}", nameof(jitter));
        (_radius, _jitter) = (radius, jitter);
    }

    /// <inheritdoc />
    public int Dimension => 3;

    /// <inheritdoc />
    public bool RotationInvariant => true;

    /// <inheritdoc />
    public void Sample(RandomStream rng, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Length != 3) throw new ArgumentException($"x has length {x.Length}, expected 3", nameof(x));
        double u0, u1, u2, norm;
        do
        {
            u0 = rng.NextGaussian();
            u1 = rng.NextGaussian();
            u2 = rng.NextGaussian();
            norm = Math.Sqrt(u0 * u0 + u1 * u1 + u2 * u2);
        } while (norm == 0);
        x[0] = _radius * u0 / norm + _jitter * rng.NextGaussian();
        x[1] = _radius * u1 / norm + _jitter * rng.NextGaussian();
        x[2] = _radius * u2 / norm + _jitter * rng.NextGaussian();
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
    {
        if (x.Length != 3) throw new ArgumentException($"x has length {x.Length}, expected 3", nameof(x));
        if (!score.IsEmpty && score.Length != 3) throw new ArgumentException($"score has length {score.Length}, expected 3", nameof(score));
        var (rho, v) = Smoothed(smoothing);
        double norm = Math.Sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (double.IsInfinity(norm))
        {
            // ‖x‖² overflowed: rescale before taking the norm.
            double m = Math.Max(Math.Abs(x[0]), Math.Max(Math.Abs(x[1]), Math.Abs(x[2])));
            norm = m * Math.Sqrt((x[0] / m) * (x[0] / m) + (x[1] / m) * (x[1] / m) + (x[2] / m) * (x[2] / m));
        }
        double kappa = rho * norm / v;
        if (!score.IsEmpty)
        {
            // ∇log p = −x/v + (ρ²/v²)·(L(κ)/κ)·x, finite at x = 0 where L(κ)/κ → 1/3.
            double g = LangevinOverKappa(kappa) * (rho / v) * (rho / v);
            for (int j = 0; j < 3; j++) score[j] = -x[j] / v + g * x[j];
        }
        return -1.5 * Math.Log(2 * Math.PI * v) - (norm / v * norm + rho / v * rho) / 2 + LogSinhc(kappa);
    }

    /// <inheritdoc />
    public double[] Mean(Smoothing smoothing)
    {
        Smoothed(smoothing);
        return [0.0, 0.0, 0.0];
    }

    /// <inheritdoc />
    /// <remarks>E[uuᵀ] = I/3, so the covariance is (ρ²/3 + v)·I.</remarks>
    public double[] Covariance(Smoothing smoothing)
    {
        var (rho, v) = Smoothed(smoothing);
        double c = rho * rho / 3 + v;
        return [c, 0, 0, 0, c, 0, 0, 0, c];
    }

    /// <inheritdoc />
    public double MarginalCdf(int coordinate, double value, Smoothing smoothing)
    {
        if (coordinate < 0 || coordinate > 2) throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, "must be 0, 1 or 2");
        var (rho, v) = Smoothed(smoothing);
        return NoisySegmentComponent.UniformPlusNormalCdf(-rho, rho, Math.Sqrt(v), value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Closed form: with g = L(κ)/κ, Δ log p = −3/v + (ρ/v)²·(2g + L′(κ)), L′(κ) = 1/κ² − 1/sinh²κ
    /// (x·∇g = κ g′(κ) = L′ − g); L′ by its Taylor series below κ = 0.05.
    /// </remarks>
    public double LaplacianOfLogDensity(ReadOnlySpan<double> x, Smoothing smoothing)
    {
        if (x.Length != 3) throw new ArgumentException($"x has length {x.Length}, expected 3", nameof(x));
        var (rho, v) = Smoothed(smoothing);
        double m = Math.Max(Math.Abs(x[0]), Math.Max(Math.Abs(x[1]), Math.Abs(x[2])));
        double norm = m == 0 ? 0 : m * Math.Sqrt((x[0] / m) * (x[0] / m) + (x[1] / m) * (x[1] / m) + (x[2] / m) * (x[2] / m));
        double kappa = rho * norm / v;
        double derivative;
        if (kappa < 0.05)
        {
            double k2 = kappa * kappa;
            derivative = 1.0 / 3 - k2 / 15 + 2 * k2 * k2 / 189 - k2 * k2 * k2 / 675;
        }
        else
        {
            double sinh = Math.Sinh(kappa);
            derivative = 1 / (kappa * kappa) - (double.IsInfinity(sinh) ? 0 : 1 / (sinh * sinh));
        }
        return -3 / v + (rho / v) * (rho / v) * (2 * LangevinOverKappa(kappa) + derivative);
    }

    /// <summary>log(sinh κ / κ) for κ ≥ 0, without overflow for large κ.</summary>
    internal static double LogSinhc(double kappa)
    {
        if (kappa < 1e-4) return kappa * kappa / 6;  // next term −κ⁴/180 < 1e-18
        if (kappa < 1) return Math.Log(Math.Sinh(kappa) / kappa);
        return kappa - Math.Log(2) + Math.Log(1 - Math.Exp(-2 * kappa)) - Math.Log(kappa);
    }

    /// <summary>L(κ)/κ = (coth κ − 1/κ)/κ for κ ≥ 0; 1/3 at κ = 0.</summary>
    internal static double LangevinOverKappa(double kappa)
    {
        if (kappa < 0.05)
        {
            // L(κ) = κ/3 − κ³/45 + 2κ⁵/945 − κ⁷/4725 + …; the next term is below 1e-16 relative here.
            double k2 = kappa * kappa;
            return 1.0 / 3 - k2 / 45 + 2 * k2 * k2 / 945 - k2 * k2 * k2 / 4725;
        }
        return (1 / Math.Tanh(kappa) - 1 / kappa) / kappa;
    }

    (double Rho, double V) Smoothed(Smoothing s)
    {
        if (!(s.Scale >= 0) || !double.IsFinite(s.Scale) || !(s.Sigma >= 0) || !double.IsFinite(s.Sigma))
            throw new ArgumentException($"smoothing needs finite a ≥ 0 and σ ≥ 0, got a = {s.Scale}, σ = {s.Sigma}", nameof(s));
        double v = s.Scale * s.Scale * _jitter * _jitter + s.Sigma * s.Sigma;
        if (!(v > 0)) throw new ArgumentException("a = 0 and σ = 0 is a point mass at the origin, which has no density", nameof(s));
        return (s.Scale * _radius, v);
    }
}
