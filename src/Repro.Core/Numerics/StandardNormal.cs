using MathNet.Numerics;

namespace Repro.Core.Numerics;

/// <summary>
/// The standard normal density φ, distribution function Φ and their logarithms in float64,
/// accurate in relative terms far into both tails (|z| up to ~1e150), which the exact scores of
/// smoothed targets need when a point sits many noise scales away from the support.
/// </summary>
public static class StandardNormal
{
    /// <summary>½·log(2π).</summary>
    public const double HalfLogTwoPi = 0.91893853320467274178032973640562;

    const double Sqrt2 = 1.4142135623730950488016887242097;

    /// <summary>φ(z) = exp(−z²/2)/√(2π).</summary>
    public static double Pdf(double z) => Math.Exp(LogPdf(z));

    /// <summary>log φ(z) = −z²/2 − ½·log(2π).</summary>
    public static double LogPdf(double z) => -0.5 * z * z - HalfLogTwoPi;

    /// <summary>Φ(z) = ½·erfc(−z/√2); relative accuracy in the lower tail down to underflow (z ≈ −38).</summary>
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);

    /// <summary>
    /// log Φ(z), finite for every finite z: log1p(−Q(z)) for z &gt; 0, log(½·erfc(−z/√2)) down to
    /// z = −35, and the Mills-ratio asymptotic series below (Abramowitz &amp; Stegun 26.2.12).
    /// </summary>
    public static double LogCdf(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z > 0) return Log1P(-0.5 * SpecialFunctions.Erfc(z / Sqrt2));
        if (z > -35) return Math.Log(0.5 * SpecialFunctions.Erfc(-z / Sqrt2));
        if (double.IsNegativeInfinity(z)) return double.NegativeInfinity;
        // Φ(−t) = φ(t)/t · (1 − 1/t² + 3/t⁴ − 15/t⁶ + …); at t ≥ 35 six terms leave < 1e-14 relative error.
        double t = -z, r = 1.0 / (t * t);
        double series = 1 + r * (-1 + r * (3 + r * (-15 + r * (105 + r * (-945 + r * 10395)))));
        return -0.5 * t * t - HalfLogTwoPi - Math.Log(t) + Math.Log(series);
    }

    /// <summary>
    /// log(Φ(b) − Φ(a)) for a ≤ b, accurate where the naive difference cancels: both arguments in
    /// the upper tail use Q(a) − Q(b) with Q(z) = Φ(−z); both in the lower tail factor out Φ(b); an
    /// interval straddling 0 sums two positive erf terms. Returns −∞ when a = b.
    /// </summary>
    /// <exception cref="ArgumentException">a &gt; b or either argument is NaN.</exception>
    public static double LogDiffNormalCdf(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b) || a > b)
            throw new ArgumentException($"need a ≤ b, got a = {a}, b = {b}");
        if (a == b) return double.NegativeInfinity;
        if (a >= 0)
        {
            // Φ(b) − Φ(a) = Q(a) − Q(b) = Q(a)·(1 − Q(b)/Q(a)).
            double la = LogCdf(-a), lb = LogCdf(-b);
            return la + Log1MinusExp(lb - la);
        }
        if (b <= 0)
        {
            double la = LogCdf(a), lb = LogCdf(b);
            return lb + Log1MinusExp(la - lb);
        }
        // a < 0 < b: ½(erf(b/√2) + erf(−a/√2)), a sum of two positive terms.
        return Math.Log(0.5 * (SpecialFunctions.Erf(b / Sqrt2) + SpecialFunctions.Erf(-a / Sqrt2)));
    }

    /// <summary>log(1 − eˣ) for x ≤ 0 (Mächler 2012: log(−expm1(x)) near 0, log1p(−eˣ) below −ln 2).</summary>
    public static double Log1MinusExp(double x)
    {
        if (x > -0.6931471805599453) return Math.Log(-ExpM1(x));
        return Log1P(-Math.Exp(x));
    }

    /// <summary>log(1 + x) without cancellation for small |x| (Goldberg's trick; .NET's double.LogP1 is the naive log(1 + x)).</summary>
    static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1 without cancellation for small |x| (Kahan's trick: (u − 1)·x / log u with u = eˣ).</summary>
    static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        return um1 * x / Math.Log(u);
    }
}
