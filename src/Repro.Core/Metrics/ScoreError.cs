using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Fisher divergence and relative L2 error between a learned score s_θ and the true score s evaluated at the same
/// points (the points are typically draws from the target, so the means estimate expectations under it).
/// </summary>
/// <remarks>
/// With aᵢ = ‖s_θ(xᵢ) − s(xᵢ)‖² and bᵢ = ‖s(xᵢ)‖²: F = ā, SE(F) = sd(a)/√n;
/// R = √(ā/b̄) and, by the delta method with g(a, b) = √(a/b), ∇g = (1/(2R b̄), −R/(2b̄)),
/// SE(R)² = ∇gᵀ Σ̂ ∇g / n with Σ̂ the sample covariance (ddof = 1) of (aᵢ, bᵢ). When ā = 0 every aᵢ is 0 and
/// SE(R) is reported as 0.
/// </remarks>
public static class ScoreError
{
    /// <summary>Compares precomputed learned and true scores (both n × d, same point order).</summary>
    /// <exception cref="ArgumentException">Shape mismatch, n &lt; 2, NaN, or a true score that is zero everywhere.</exception>
    public static ScoreErrorResult Compute(Points learned, Points truth)
    {
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(truth);
        if (learned.Count != truth.Count || learned.Dimension != truth.Dimension)
            throw new ArgumentException($"shape mismatch: {learned.Count}×{learned.Dimension} vs {truth.Count}×{truth.Dimension}");
        int n = learned.Count, d = learned.Dimension;
        if (n < 2) throw new ArgumentException($"need ≥ 2 points for a standard error, got {n}");
        var a = new double[n];
        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            var l = learned.Row(i);
            var t = truth.Row(i);
            double sa = 0, sb = 0;
            for (int k = 0; k < d; k++)
            {
                double e = l[k] - t[k];
                sa += e * e;
                sb += t[k] * t[k];
            }
            if (!double.IsFinite(sa) || !double.IsFinite(sb)) throw new ArgumentException($"non-finite score at point {i}");
            a[i] = sa;
            b[i] = sb;
        }
        double ma = a.Average(), mb = b.Average();
        if (!(mb > 0)) throw new ArgumentException("true score is zero at every point: relative error undefined");
        double vaa = 0, vbb = 0, vab = 0;
        for (int i = 0; i < n; i++)
        {
            vaa += (a[i] - ma) * (a[i] - ma);
            vbb += (b[i] - mb) * (b[i] - mb);
            vab += (a[i] - ma) * (b[i] - mb);
        }
        vaa /= n - 1;
        vbb /= n - 1;
        vab /= n - 1;
        double r = Math.Sqrt(ma / mb);
        double seR = 0;
        if (ma > 0)
        {
            double ga = 1 / (2 * r * mb), gb = -r / (2 * mb);
            seR = Math.Sqrt(Math.Max(0, (ga * ga * vaa + 2 * ga * gb * vab + gb * gb * vbb) / n));
        }
        return new ScoreErrorResult(ma, Math.Sqrt(vaa / n), r, seR, n);
    }

    /// <summary>Evaluates both score functions on <paramref name="x"/> and compares them.</summary>
    public static ScoreErrorResult Compute(Points x, Func<Points, Points> learned, Func<Points, Points> truth)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(truth);
        return Compute(learned(x), truth(x));
    }
}
