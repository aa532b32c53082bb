using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Kernel Stein discrepancy of a sample against a target known only through its score s(x) = ∇ log p(x)
/// (units 1/length), with the inverse multiquadric kernel k(x, y) = (c² + ‖x − y‖²)^β, c = 1 (a length), β = −1/2.
/// </summary>
/// <remarks>
/// <para>Stein kernel (Liu, Lee &amp; Jordan, ICML 2016, eq. 9; Gorham &amp; Mackey, ICML 2017, IMQ kernel), with
/// r = x − y, q = c² + ‖r‖², d the dimension:
/// u(x, y) = s(x)·s(y) q^β − 2β q^(β−1) s(x)·r + 2β q^(β−1) s(y)·r − 2β [d q^(β−1) + 2(β−1) q^(β−2) ‖r‖²],
/// the four terms being s(x)ᵀs(y)k, s(x)ᵀ∇_y k, s(y)ᵀ∇_x k and tr ∇_x∇_y k.</para>
/// <para>KSD²_U = (1/(n(n−1))) Σ_{i≠j} u(xᵢ, xⱼ) (a degenerate U-statistic under the null).</para>
/// <para>Wild bootstrap (Chwialkowski, Strathmann &amp; Gretton, ICML 2016; Liu et al. 2016 §4): for b = 1..B draw
/// i.i.d. Rademacher εᵢ = ±1 from the <see cref="RandomStream"/> and form
/// KSD²_b = (1/(n(n−1))) Σ_{i≠j} εᵢ εⱼ u(xᵢ, xⱼ); p = (1 + #{b : KSD²_b ≥ KSD²_U})/(1 + B). The εᵢ are drawn
/// bootstrap by bootstrap, point by point, from one bit of NextUInt64 each (its top bit).</para>
/// <para>Cost: each Stein kernel entry u(xᵢ, xⱼ), i &lt; j, is computed once and multiplied against all B + 1 weight vectors in blocks
/// under Parallel.For; partial sums are added in block order, so results do not depend on the thread count.
/// Memory O(n·B), never O(n²).</para>
/// </remarks>
public static class KernelStein
{
    /// <summary>IMQ offset c (a length).</summary>
    public const double C = 1.0;

    /// <summary>IMQ exponent β.</summary>
    public const double Beta = -0.5;

    /// <summary>KSD²_U of <paramref name="x"/> against the target whose score is <paramref name="score"/>.</summary>
    public static double Ksd2(Points x, Func<Points, Points> score)
    {
        var s = Scores(x, score);
        return Run(x, s, 0, null)[0];
    }

    /// <summary>KSD²_U with a wild-bootstrap p-value over <paramref name="bootstraps"/> Rademacher draws.</summary>
    public static KsdResult Test(Points x, Func<Points, Points> score, int bootstraps, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (bootstraps < 1) throw new ArgumentOutOfRangeException(nameof(bootstraps), bootstraps, "need ≥ 1 bootstrap draw");
        var s = Scores(x, score);
        var q = Run(x, s, bootstraps, random);
        int exceed = 0;
        for (int b = 1; b <= bootstraps; b++) if (q[b] >= q[0]) exceed++;
        // A NaN statistic (∞ − ∞ in the Stein kernel) has no p-value, never the floor 1/(B + 1).
        return new KsdResult(q[0], double.IsNaN(q[0]) ? double.NaN : (1.0 + exceed) / (1.0 + bootstraps), bootstraps);
    }

    /// <summary>The Stein kernel u(x, y) of the remarks, for two points and their scores.</summary>
    public static double SteinKernel(ReadOnlySpan<double> x, ReadOnlySpan<double> sx, ReadOnlySpan<double> y, ReadOnlySpan<double> sy)
    {
        int d = x.Length;
        double r2 = 0, ss = 0, sxr = 0, syr = 0;
        for (int k = 0; k < d; k++)
        {
            double r = x[k] - y[k];
            r2 += r * r;
            ss += sx[k] * sy[k];
            sxr += sx[k] * r;
            syr += sy[k] * r;
        }
        double q = C * C + r2;
        double qb = 1.0 / Math.Sqrt(q);      // q^β with β = −1/2
        double qb1 = qb / q, qb2 = qb1 / q;  // q^(β−1), q^(β−2)
        return ss * qb - 2 * Beta * qb1 * sxr + 2 * Beta * qb1 * syr - 2 * Beta * (d * qb1 + 2 * (Beta - 1) * qb2 * r2);
    }

    static Points Scores(Points x, Func<Points, Points> score)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(score);
        if (x.Count < 2) throw new ArgumentException($"KSD²_U needs ≥ 2 points, got {x.Count}", nameof(x));
        foreach (double v in x.Data) if (!double.IsFinite(v)) throw new ArgumentException("x contains NaN or ∞", nameof(x));
        var s = score(x) ?? throw new ArgumentException("score returned null", nameof(score));
        if (s.Count != x.Count || s.Dimension != x.Dimension)
            throw new ArgumentException($"score returned {s.Count}×{s.Dimension}, expected {x.Count}×{x.Dimension}", nameof(score));
        foreach (double v in s.Data) if (!double.IsFinite(v)) throw new ArgumentException("score returned NaN or ∞", nameof(score));
        return s;
    }

    const int RowBlock = 16;

    // Column 0: all ones (the statistic); columns 1..B: Rademacher weights. Returns Σ_{i≠j} εᵢεⱼuᵢⱼ/(n(n−1)) per column.
    static double[] Run(Points x, Points s, int bootstraps, RandomStream? random)
    {
        int n = x.Count, C = bootstraps + 1;
        int W = 8 * System.Numerics.Vector<double>.Count;
        int chunks = (C + W - 1) / W;
        var E = new double[chunks][];
        for (int ch = 0; ch < chunks; ch++) E[ch] = new double[n * W];
        for (int i = 0; i < n; i++) E[0][i * W] = 1.0;
        for (int b = 1; b <= bootstraps; b++)
            for (int i = 0; i < n; i++)
                E[b / W][i * W + b % W] = (random!.NextUInt64() >> 63) == 0 ? 1.0 : -1.0;
        int blocks = (n + RowBlock - 1) / RowBlock;
        var part = new double[blocks][];
        Parallel.For(0, blocks, () => (new double[n], new double[W]), (blk, _, buf) =>
        {
            var (row, acc) = buf;
            var q = new double[C];
            int i0 = blk * RowBlock, i1 = Math.Min(n, i0 + RowBlock);
            for (int i = i0; i < i1; i++)
            {
                var xi = x.Row(i);
                var si = s.Row(i);
                // u is symmetric: Σ_{i≠j} εᵢεⱼuᵢⱼ = 2 Σᵢ εᵢ Σ_{j>i} uᵢⱼεⱼ, so only the upper triangle is evaluated.
                for (int j = i + 1; j < n; j++) row[j] = SteinKernel(xi, si, x.Row(j), s.Row(j));
                for (int ch = 0; ch < chunks; ch++)
                {
                    Mmd.RowTimesChunk(row, i + 1, E[ch], W, acc);
                    var e = E[ch];
                    for (int w = 0; w < W; w++)
                    {
                        int c = ch * W + w;
                        if (c >= C) break;
                        q[c] += 2 * e[i * W + w] * acc[w];
                    }
                }
            }
            part[blk] = q;
            return buf;
        }, _ => { });
        var total = new double[C];
        for (int blk = 0; blk < blocks; blk++)
            for (int c = 0; c < C; c++) total[c] += part[blk][c];
        double norm = 1.0 / ((double)n * (n - 1));
        for (int c = 0; c < C; c++) total[c] *= norm;
        return total;
    }
}
