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

    /// <summary>
    /// For the interval [a, a + width] of N(0, 1): log(Φ(b) − Φ(a)) and G = (φ(b) − φ(a))/(Φ(b) − Φ(a))
    /// with b = a + width (G is the mean of −Z for Z ~ N(0, 1) truncated to the interval, and the
    /// derivative of the log mass along a common shift of both ends). The width is passed, not b, so
    /// the interval keeps its size where a is so large that a + width rounds to a.
    /// </summary>
    /// <remarks>
    /// Both ends in the lower tail (b ≤ 0): with R(z) = log Φ(z) + z²/2 (finite for every finite z;
    /// the Mills-ratio series of Abramowitz &amp; Stegun 26.2.12 below −35),
    /// log φ(a)/φ(b) = width·(2b − width)/2 and log Φ(a)/Φ(b) = that + R(a) − R(b), so
    /// log mass = log Φ(b) + log(1 − Φ(a)/Φ(b)) and G = [φ(b)/Φ(b)]·(1 − φ(a)/φ(b))/(1 − Φ(a)/Φ(b)),
    /// φ(b)/Φ(b) = exp(−½ log 2π − R(b)). No −z²/2 is ever formed for G, so G stays finite and
    /// accurate where φ and Φ both underflow (|a| up to ~1e308). The upper tail by symmetry
    /// (mass(a, b) = mass(−b, −a), G(a, b) = −G(−b, −a)); an interval straddling 0 sums two positive
    /// erf terms. The log mass itself is −∞ once −b²/2 leaves the double range (|b| ≳ 1.3e154).
    /// </remarks>
    /// <exception cref="ArgumentException">NaN or infinite a, or width not finite and &gt; 0.</exception>
    public static (double LogMass, double G) TruncatedMass(double a, double width)
    {
        if (!double.IsFinite(a) || !double.IsFinite(width) || !(width > 0))
            throw new ArgumentException($"need finite a and width > 0, got a = {a}, width = {width}");
        double b = a + width;
        if (a >= 0)
        {
            // Mirror: [−b, −a] has upper end −a ≤ 0 and the same width.
            var (logMass, g) = LowerTail(-a, width);
            return (logMass, -g);
        }
        if (b > 0)
        {
            double logMass = Math.Log(0.5 * (SpecialFunctions.Erf(b / Sqrt2) + SpecialFunctions.Erf(-a / Sqrt2)));
            return (logMass, (Pdf(b) - Pdf(a)) / Math.Exp(logMass));
        }
        return LowerTail(b, width);

        static (double, double) LowerTail(double b, double width)
        {
            double a = b - width;
            double logPdfRatio = 0.5 * width * (2 * b - width);                      // log φ(a)/φ(b) < 0
            double logCdfRatio = logPdfRatio + LogCdfRemainder(a) - LogCdfRemainder(b); // log Φ(a)/Φ(b) < 0
            double logMass = LogCdf(b) + Log1MinusExp(logCdfRatio);
            double mills = Math.Exp(-HalfLogTwoPi - LogCdfRemainder(b));              // φ(b)/Φ(b)
            return (logMass, mills * -ExpM1(logPdfRatio) / -ExpM1(logCdfRatio));
        }
    }

    /// <summary>R(z) = log Φ(z) + z²/2 for z ≤ 0, finite for every finite z (no −z²/2 to overflow).</summary>
    static double LogCdfRemainder(double z)
    {
        if (z > -35) return LogCdf(z) + 0.5 * z * z;
        double t = -z, r = 1.0 / (t * t);
        double series = 1 + r * (-1 + r * (3 + r * (-15 + r * (105 + r * (-945 + r * 10395)))));
        return -HalfLogTwoPi - Math.Log(t) + Math.Log(series);
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
