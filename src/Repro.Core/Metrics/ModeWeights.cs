using MathNet.Numerics;
using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Recovered mixture weights from responsibilities: each point goes to its argmax component (first on ties);
/// shares get Wilson 95% intervals (Wilson 1927; Newcombe 1998 eq. 3):
/// (2n p̂ + z² ± z √(4n p̂(1 − p̂) + z²)) / (2(n + z²)), z = Φ⁻¹(0.975), clamped to 0 at k = 0 and 1 at k = n as SciPy does.
/// The true weights are tested with the exact two-sided binomial test for K = 2 (SciPy 1.10.1
/// <c>binomtest</c>: sum of the probabilities of all outcomes no more likely than the observed, with its
/// relative tolerance 1e-7) and Pearson's χ² goodness of fit with K − 1 degrees of freedom for K &gt; 2.
/// </summary>
public static class ModeWeights
{
    const double Z975 = 1.959963984540054;

    /// <summary>Argmax component of each row of the n × K responsibilities.</summary>
    public static int[] Assign(Points responsibilities)
    {
        ArgumentNullException.ThrowIfNull(responsibilities);
        int n = responsibilities.Count, K = responsibilities.Dimension;
        var a = new int[n];
        for (int i = 0; i < n; i++)
        {
            var r = responsibilities.Row(i);
            int best = 0;
            for (int k = 0; k < K; k++)
            {
                if (double.IsNaN(r[k])) throw new ArgumentException($"responsibility NaN at point {i}", nameof(responsibilities));
                if (r[k] > r[best]) best = k;
            }
            a[i] = best;
        }
        return a;
    }

    /// <summary>Shares, Wilson intervals and the test of <paramref name="trueWeights"/> (length K, summing to 1).</summary>
    /// <exception cref="ArgumentException">No points, K &lt; 2, NaN, or weights that are not a probability vector with positive entries.</exception>
    public static ModeWeightsResult Test(Points responsibilities, IReadOnlyList<double> trueWeights)
    {
        ArgumentNullException.ThrowIfNull(responsibilities);
        ArgumentNullException.ThrowIfNull(trueWeights);
        int n = responsibilities.Count, K = responsibilities.Dimension;
        if (n < 1) throw new ArgumentException("no points", nameof(responsibilities));
        if (K < 2) throw new ArgumentException("need ≥ 2 components", nameof(responsibilities));
        if (trueWeights.Count != K) throw new ArgumentException($"{trueWeights.Count} weights for {K} components", nameof(trueWeights));
        if (trueWeights.Any(w => !(w > 0 && w < 1)) || Math.Abs(trueWeights.Sum() - 1) > 1e-9)
            throw new ArgumentException("true weights must lie in (0, 1) and sum to 1", nameof(trueWeights));
        var counts = new int[K];
        foreach (int a in Assign(responsibilities)) counts[a]++;
        var modes = new ModeShare[K];
        for (int k = 0; k < K; k++)
        {
            var (lo, hi) = Wilson(counts[k], n);
            modes[k] = new ModeShare(counts[k], (double)counts[k] / n, lo, hi, trueWeights[k]);
        }
        if (K == 2) return new ModeWeightsResult(modes, n, counts[0], BinomTestTwoSided(counts[0], n, trueWeights[0]), "binomial");
        var (stat, p) = ChiSquare(counts, trueWeights);
        return new ModeWeightsResult(modes, n, stat, p, "chi-square");
    }

    /// <summary>Wilson 95% score interval for k successes in n trials.</summary>
    public static (double Lower, double Upper) Wilson(int k, int n)
    {
        if (n < 1 || k < 0 || k > n) throw new ArgumentException($"need 0 ≤ k ≤ n, n ≥ 1 (k = {k}, n = {n})");
        double p = (double)k / n, z2 = Z975 * Z975, denom = 2 * (n + z2);
        double center = (2 * n * p + z2) / denom;
        double delta = Z975 / denom * Math.Sqrt(4 * n * p * (1 - p) + z2);
        return (k == 0 ? 0.0 : center - delta, k == n ? 1.0 : center + delta);
    }

    /// <summary>Exact two-sided binomial test p-value, as <c>scipy.stats.binomtest(k, n, p).pvalue</c> (SciPy 1.10.1).</summary>
    public static double BinomTestTwoSided(int k, int n, double p)
    {
        if (n < 1 || k < 0 || k > n) throw new ArgumentException($"need 0 ≤ k ≤ n, n ≥ 1 (k = {k}, n = {n})");
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"p = {p} is not a probability", nameof(p));
        double d = Pmf(k, n, p);
        const double rerr = 1 + 1e-7;
        double pval;
        if (k == p * n) pval = 1.0;
        else if (k < p * n)
        {
            int ix = BinarySearch(x => -Pmf(x, n, p), -d * rerr, (int)Math.Ceiling(p * n), n);
            int y = n - ix + (d * rerr == Pmf(ix, n, p) ? 1 : 0);
            pval = Cdf(k, n, p) + Sf(n - y, n, p);
        }
        else
        {
            int ix = BinarySearch(x => Pmf(x, n, p), d * rerr, 0, (int)Math.Floor(p * n));
            int y = ix + 1;
            pval = Cdf(y - 1, n, p) + Sf(k - 1, n, p);
        }
        return Math.Min(1.0, pval);
    }

    // SciPy's _binary_search_for_binom_tst: index i in [lo, hi] with a(i) ≤ d < a(i + 1).
    static int BinarySearch(Func<int, double> a, double d, int lo, int hi)
    {
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            double midval = a(mid);
            if (midval < d) lo = mid + 1;
            else if (midval > d) hi = mid - 1;
            else return mid;
        }
        return a(lo) <= d ? lo : lo - 1;
    }

    static double Pmf(int k, int n, double p)
    {
        if (k < 0 || k > n) return 0.0;
        if (p == 0) return k == 0 ? 1.0 : 0.0;
        if (p == 1) return k == n ? 1.0 : 0.0;
        return Math.Exp(SpecialFunctions.BinomialLn(n, k) + k * Math.Log(p) + (n - k) * Math.Log(1 - p));
    }

    // Tails summed from the far end inwards so small probabilities keep their relative accuracy.
    static double Cdf(int k, int n, double p)
    {
        if (k < 0) return 0.0;
        if (k >= n) return 1.0;
        double s = 0;
        for (int i = 0; i <= k; i++) s += Pmf(i, n, p);
        return s;
    }

    static double Sf(int k, int n, double p)
    {
        if (k < 0) return 1.0;
        if (k >= n) return 0.0;
        double s = 0;
        for (int i = n; i > k; i--) s += Pmf(i, n, p);
        return s;
    }

    /// <summary>Pearson χ² goodness of fit, as <c>scipy.stats.chisquare(counts, f_exp = n·weights)</c>.</summary>
    public static (double Statistic, double PValue) ChiSquare(IReadOnlyList<int> counts, IReadOnlyList<double> weights)
    {
        int K = counts.Count;
        if (K < 2 || weights.Count != K) throw new ArgumentException("need ≥ 2 categories and one weight per category");
        double n = counts.Sum();
        if (!(n > 0)) throw new ArgumentException("no observations");
        double stat = 0;
        for (int k = 0; k < K; k++)
        {
            double e = n * weights[k];
            if (!(e > 0)) throw new ArgumentException($"expected count of category {k} is {e}");
            stat += (counts[k] - e) * (counts[k] - e) / e;
        }
        return (stat, SpecialFunctions.GammaUpperRegularized((K - 1) / 2.0, stat / 2));
    }
}
