using System.Numerics;
using System.Runtime.InteropServices;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Metrics;

/// <summary>
/// Maximum mean discrepancy with the Gaussian RBF kernel k(x, y) = exp(−‖x − y‖² / (2h²)), where the bandwidth
/// h is the kernel's standard deviation: a length in the units of the samples (not h², not 1/(2h²)).
/// </summary>
/// <remarks>
/// <para>Statistics (Gretton et al., "A kernel two-sample test", JMLR 13, 2012, eqs. 3 and 5), x of size n,
/// y of size m, K̃ the kernel matrix with zero diagonal:
/// MMD²_u = S_xx/(n(n−1)) + S_yy/(m(m−1)) − 2 S_xy/(nm) with S_xx = Σ_{i≠j} k(xᵢ, xⱼ) and S_xy = Σᵢⱼ k(xᵢ, yⱼ);
/// MMD²_b = (S_xx + n)/n² + (S_yy + m)/m² − 2 S_xy/(nm) (k(x, x) = 1).</para>
/// <para>Permutations: with e the 0/1 indicator of the first group in the pooled sample z and r = K̃·1,
/// S_xx = eᵀK̃e, S_xy = eᵀr − S_xx and S_yy = 1ᵀK̃1 − S_xx − 2S_xy, so each permutation is one quadratic form in
/// its label vector. All label vectors (ones, the observed split, B permutations) form the columns of one
/// matrix E and K̃E is accumulated row by row; each kernel entry k(zᵢ, zⱼ), i &lt; j, is computed once per bandwidth and discarded, so
/// memory is O(N·B) rather than O(N²) and any n + m works (this is the "blocking" for large samples). Row blocks
/// run under Parallel.For and their partial sums are added in block order, so results do not depend on the
/// number of threads.</para>
/// <para>p-value: (1 + #{b : T_b ≥ T_obs})/(1 + B) (Phipson &amp; Smyth 2010), permutations drawn from the given
/// <see cref="RandomStream"/> with <see cref="RandomStream.Permutation"/>.</para>
/// </remarks>
public static class Mmd
{
    /// <summary>Pooled samples up to this many pairs keep all squared distances for an exact median by selection;
    /// beyond it (n + m ≳ 6300, 160 MB) the exact median is found by bisection over double bit patterns with
    /// counting passes, O(N) memory and ~64 passes of O(N²d).</summary>
    public const long MaxStoredPairs = 20_000_000;

    /// <summary>MMD²_u and MMD²_b at bandwidth h (a length).</summary>
    public static (double Unbiased, double Biased) Statistic(Points x, Points y, double bandwidth)
    {
        Check(x, y);
        CheckBandwidth(bandwidth);
        var r = Run(x, y, [bandwidth], 0, null);
        return (r.U[0][1], r.Biased[0]);
    }

    /// <summary>Permutation test at a given bandwidth h (a length).</summary>
    public static MmdResult Test(Points x, Points y, double bandwidth, int permutations, RandomStream random)
    {
        Check(x, y);
        CheckBandwidth(bandwidth);
        CheckPerm(permutations, random);
        var r = Run(x, y, [bandwidth], permutations, random);
        return new MmdResult(r.U[0][1], r.Biased[0], bandwidth, PValue(r.U[0], permutations), permutations);
    }

    /// <summary>Permutation test at the median-heuristic bandwidth <see cref="MedianDistance"/>.</summary>
    public static MmdResult TestMedian(Points x, Points y, int permutations, RandomStream random)
    {
        Check(x, y);
        double h = MedianDistance(x, y);
        return Test(x, y, h, permutations, random);
    }

    /// <summary>
    /// Ladder test over h_med × {1/4, 1/2, 1, 2, 4}. Per bandwidth l, MMD²_u,l of the observed split and of every
    /// permutation come from the same B permutations; σ_l is the standard deviation of the B permuted values,
    /// T = max_l MMD²_u,l/σ_l, and each permutation's T_b uses the same σ_l, so the maximum over bandwidths is
    /// calibrated by those permutations (the null distribution of the max is not assumed).
    /// </summary>
    /// <exception cref="ArgumentException">The permutation null of some bandwidth has zero spread.</exception>
    public static MmdLadderResult TestLadder(Points x, Points y, int permutations, RandomStream random)
    {
        Check(x, y);
        CheckPerm(permutations, random);
        if (permutations < 2) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "the ladder needs ≥ 2 permutations for σ");
        double hm = MedianDistance(x, y);
        double[] hs = [hm / 4, hm / 2, hm, hm * 2, hm * 4];
        var r = Run(x, y, hs, permutations, random);
        int L = hs.Length, C = permutations + 2;
        var sigma = new double[L];
        for (int l = 0; l < L; l++)
        {
            double mean = 0;
            for (int c = 2; c < C; c++) mean += r.U[l][c];
            mean /= permutations;
            double ss = 0;
            for (int c = 2; c < C; c++) ss += (r.U[l][c] - mean) * (r.U[l][c] - mean);
            sigma[l] = Math.Sqrt(ss / (permutations - 1));
            if (!(sigma[l] > 0)) throw new ArgumentException($"MMD permutation null has zero spread at bandwidth {hs[l]}");
        }
        var t = new double[C];
        for (int c = 1; c < C; c++)
        {
            double best = double.NegativeInfinity;
            for (int l = 0; l < L; l++) best = Math.Max(best, r.U[l][c] / sigma[l]);
            t[c] = best;
        }
        return new MmdLadderResult(hm, hs, r.U.Select(u => u[1]).ToArray(), sigma, t[1], PValue(t, permutations), permutations);
    }

    /// <summary>
    /// Median heuristic: the exact median (NumPy convention, mean of the two middle values when the count is even)
    /// of the Euclidean distances ‖zᵢ − zⱼ‖ over all pairs i &lt; j of the pooled sample z = x ∪ y (diagonal excluded).
    /// </summary>
    /// <exception cref="ArgumentException">The median distance is 0 (more than half the pairs coincide).</exception>
    public static double MedianDistance(Points x, Points y) => MedianDistance(x, y, MaxStoredPairs);

    internal static double MedianDistance(Points x, Points y, long maxStoredPairs)
    {
        Check(x, y);
        var z = Pool(x, y);
        int N = z.Count, d = z.Dimension;
        long M = (long)N * (N - 1) / 2;
        long k2 = M / 2, k1 = M % 2 == 0 ? k2 - 1 : k2;
        double a, b;
        if (M <= maxStoredPairs)
        {
            var all = new double[M];
            Parallel.For(0, N, i =>
            {
                long off = (long)i * (2L * N - i - 1) / 2;
                var zi = z.Row(i);
                for (int j = i + 1; j < N; j++) all[off + j - i - 1] = Dist2(zi, z.Row(j));
            });
            b = Select(all, k2);
            a = k1 == k2 ? b : MaxBelow(all, k2);
        }
        else
        {
            b = KthByBisection(z, k2);
            a = k1 == k2 ? b : KthByBisection(z, k1);
        }
        double med = (Math.Sqrt(a) + Math.Sqrt(b)) / 2;
        if (!(med > 0)) throw new ArgumentException("median pairwise distance is 0: the pooled sample is (mostly) a single point");
        return med;
    }

    static double Dist2(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++)
        {
            double t = a[k] - b[k];
            s += t * t;
        }
        return s;
    }

    // Quickselect (Hoare partition, median-of-three pivot); leaves a[k] at its sorted position and a[..k] ≤ a[k].
    static double Select(double[] a, long k)
    {
        long lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            long mid = lo + (hi - lo) / 2;
            double p = Median3(a[lo], a[mid], a[hi]);
            long i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < p) i++;
                while (a[j] > p) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else break;
        }
        return a[k];
    }

    static double MaxBelow(double[] a, long k)
    {
        double m = double.NegativeInfinity;
        for (long i = 0; i < k; i++) m = Math.Max(m, a[i]);
        return m;
    }

    static double Median3(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    // The k-th smallest squared distance (0-based) without storing pairs: non-negative doubles order like their
    // bit patterns, so bisect on the bits with a counting pass each.
    static double KthByBisection(Points z, long k)
    {
        ulong lo = 0, hi = (ulong)BitConverter.DoubleToInt64Bits(double.MaxValue);
        while (lo < hi)
        {
            ulong mid = lo + (hi - lo) / 2;
            double t = BitConverter.Int64BitsToDouble((long)mid);
            if (CountAtMost(z, t) >= k + 1) hi = mid; else lo = mid + 1;
        }
        return BitConverter.Int64BitsToDouble((long)lo);
    }

    static long CountAtMost(Points z, double t)
    {
        int N = z.Count;
        var counts = new long[N];
        Parallel.For(0, N, i =>
        {
            var zi = z.Row(i);
            long c = 0;
            for (int j = i + 1; j < N; j++) if (Dist2(zi, z.Row(j)) <= t) c++;
            counts[i] = c;
        });
        return counts.Sum();
    }

    sealed record Sums(double[][] U, double[] Biased);

    const int RowBlock = 16;

    // Columns of E: 0 = ones (gives T), 1 = observed split, 2.. = permutations.
    static Sums Run(Points x, Points y, double[] bandwidths, int permutations, RandomStream? random)
    {
        var z = Pool(x, y);
        int n = x.Count, m = y.Count, N = n + m, d = z.Dimension, L = bandwidths.Length;
        int C = permutations + 2;
        int vc = Vector<double>.Count, W = 8 * vc;
        int chunks = (C + W - 1) / W;
        var E = new double[chunks][];
        for (int ch = 0; ch < chunks; ch++) E[ch] = new double[N * W];
        void Set(int row, int col) => E[col / W][row * W + col % W] = 1.0;
        for (int i = 0; i < N; i++) Set(i, 0);
        for (int i = 0; i < n; i++) Set(i, 1);
        for (int b = 0; b < permutations; b++)
        {
            var perm = random!.Permutation(N);
            for (int i = 0; i < n; i++) Set(perm[i], b + 2);
        }
        var inv2h2 = bandwidths.Select(h => 1.0 / (2 * h * h)).ToArray();
        int blocks = (N + RowBlock - 1) / RowBlock;
        // partial[block][l][c]: Q = Σᵢ Eᵢc (K̃E)ᵢc and R = Σᵢ Eᵢc rᵢ
        var partQ = new double[blocks][];
        var partR = new double[blocks][];
        Parallel.For(0, blocks, () => (new double[N], new double[N], new double[W]), (blk, _, buf) =>
        {
            var (d2, kr, acc) = buf;
            var q = new double[L * C];
            var rr = new double[L * C];
            int i0 = blk * RowBlock, i1 = Math.Min(N, i0 + RowBlock);
            for (int i = i0; i < i1; i++)
            {
                var zi = z.Row(i);
                // Only the upper triangle j > i is formed: K̃ is symmetric, so with aᵢ = Σ_{j>i} K̃ᵢⱼEⱼ (per column)
                // eᵀK̃e = 2 Σᵢ eᵢaᵢ and eᵀr = Σᵢ eᵢ·(Σ_{j>i} K̃ᵢⱼ) + Σᵢ aᵢ.
                for (int j = i + 1; j < N; j++) d2[j] = Dist2(zi, z.Row(j));
                for (int l = 0; l < L; l++)
                {
                    double s = inv2h2[l];
                    for (int j = i + 1; j < N; j++) kr[j] = Math.Exp(-d2[j] * s);
                    double up = 0;
                    for (int ch = 0; ch < chunks; ch++)
                    {
                        RowTimesChunk(kr, i + 1, E[ch], W, acc);
                        if (ch == 0) up = acc[0];
                        var e = E[ch];
                        for (int w = 0; w < W; w++)
                        {
                            int c = ch * W + w;
                            if (c >= C) break;
                            rr[l * C + c] += acc[w];
                            if (e[i * W + w] != 0)
                            {
                                q[l * C + c] += 2 * acc[w];
                                rr[l * C + c] += up;
                            }
                        }
                    }
                }
            }
            partQ[blk] = q;
            partR[blk] = rr;
            return buf;
        }, _ => { });
        var Q = new double[L * C];
        var R = new double[L * C];
        for (int blk = 0; blk < blocks; blk++)
            for (int t = 0; t < L * C; t++)
            {
                Q[t] += partQ[blk][t];
                R[t] += partR[blk][t];
            }
        var U = new double[L][];
        var biased = new double[L];
        double fn = n, fm = m;
        for (int l = 0; l < L; l++)
        {
            U[l] = new double[C];
            double T = Q[l * C];
            for (int c = 1; c < C; c++)
            {
                double sxx = Q[l * C + c], sxy = R[l * C + c] - sxx, syy = T - sxx - 2 * sxy;
                U[l][c] = sxx / (fn * (fn - 1)) + syy / (fm * (fm - 1)) - 2 * sxy / (fn * fm);
                if (c == 1) biased[l] = (sxx + fn) / (fn * fn) + (syy + fm) / (fm * fm) - 2 * sxy / (fn * fm);
            }
        }
        return new Sums(U, biased);
    }

    // acc[w] = Σ_{j ≥ jStart} kr[j]·E[j, w] for the W = 8·Vector<double>.Count columns of one chunk; eight vector accumulators
    // stay in registers while j streams through the chunk.
    internal static void RowTimesChunk(double[] kr, int jStart, double[] e, int W, double[] acc)
    {
        var ev = MemoryMarshal.Cast<double, Vector<double>>(e.AsSpan());
        Vector<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        int N = kr.Length;
        for (int j = jStart; j < N; j++)
        {
            double k = kr[j];
            if (k == 0) continue;
            var kv = new Vector<double>(k);
            var row = ev.Slice(j * 8, 8);
            a0 += kv * row[0];
            a1 += kv * row[1];
            a2 += kv * row[2];
            a3 += kv * row[3];
            a4 += kv * row[4];
            a5 += kv * row[5];
            a6 += kv * row[6];
            a7 += kv * row[7];
        }
        var av = MemoryMarshal.Cast<double, Vector<double>>(acc.AsSpan());
        av[0] = a0; av[1] = a1; av[2] = a2; av[3] = a3; av[4] = a4; av[5] = a5; av[6] = a6; av[7] = a7;
    }

    static double PValue(double[] stats, int permutations)
    {
        // A NaN statistic has no p-value: counting "exceedances" of NaN would report the floor.
        if (double.IsNaN(stats[1])) return double.NaN;
        int exceed = 0;
        for (int c = 2; c < permutations + 2; c++) if (stats[c] >= stats[1]) exceed++;
        return (1.0 + exceed) / (1.0 + permutations);
    }

    static Points Pool(Points x, Points y)
    {
        var data = new double[x.Data.Length + y.Data.Length];
        x.Data.CopyTo(data, 0);
        y.Data.CopyTo(data, x.Data.Length);
        return new Points(data, x.Dimension);
    }

    static void Check(Points x, Points y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Dimension != y.Dimension) throw new ArgumentException($"dimension mismatch: {x.Dimension} vs {y.Dimension}");
        if (x.Count < 2 || y.Count < 2) throw new ArgumentException($"MMD²_u needs ≥ 2 points per sample, got {x.Count} and {y.Count}");
        foreach (double v in x.Data) if (!double.IsFinite(v)) throw new ArgumentException("x contains NaN or ∞", nameof(x));
        foreach (double v in y.Data) if (!double.IsFinite(v)) throw new ArgumentException("y contains NaN or ∞", nameof(y));
    }

    static void CheckBandwidth(double h)
    {
        if (!(h > 0) || !double.IsFinite(h)) throw new ArgumentException($"bandwidth must be a positive finite length, got {h}", nameof(h));
    }

    static void CheckPerm(int permutations, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "need ≥ 1 permutation");
    }
}
