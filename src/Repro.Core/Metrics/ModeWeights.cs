using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Recovered mixture weights, tested by the mean responsibility.
/// <para>
/// The test. Under the reference law p = Σ_k w_k p_k the responsibility r_k(x) = w_k p_k(x) / p(x) has
/// expectation exactly E_p[r_k(X)] = ∫ w_k p_k = w_k, whatever the overlap of the components. So the
/// mean responsibility r̄ = (1/n) Σ_i r(x_i) of an i.i.d. sample of p is an unbiased estimate of w, and
/// the Wald statistic T = n (r̄ − w)ᵀ S⁺ (r̄ − w), S the sample covariance of the rows r(x_i) (rank
/// K − 1 at most: rows sum to 1), is asymptotically χ² with rank(S) degrees of freedom (multivariate
/// central limit theorem; r ∈ [0, 1] is bounded, so every moment exists). A direction in which the
/// sample's responsibilities do not vary at all but r̄ differs from w is certain evidence: p = 0.
/// </para>
/// <para>
/// Why not the arg-max shares (each point counted for its most responsible component)? Their
/// expectation under p is P(arg max_k r_k(X) = k), which equals w_k only when the components do not
/// overlap: for 0.7 N((−1, 0), I) + 0.3 N((1, 0), I) it is 0.7306 for the first, so a binomial test of 0.7 rejects exact
/// samples (p = 1e-20 at n = 20,000). Their exact expectation needs an integral of p over each decision
/// region, in closed form only for two Gaussians of equal covariance; the mean responsibility needs
/// nothing beyond the r_k the truth already gives, for any component kind and any σ.
/// </para>
/// The arg-max shares stay as a description (Count, Share, Wilson 95% intervals: Wilson 1927; Newcombe
/// 1998 eq. 3, clamped to 0 at k = 0 and 1 at k = n as SciPy does), never as the test.
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

    /// <summary>
    /// Mean responsibilities with their 95% normal intervals, arg-max shares with Wilson intervals, and
    /// the Wald test of <paramref name="trueWeights"/> on the mean responsibilities (see the type's summary).
    /// </summary>
    /// <param name="responsibilities">n × K rows r(x_i) under the reference law, each in [0, 1].</param>
    /// <param name="trueWeights">The reference law's weights w, length K, in (0, 1), summing to 1 within 1e-9.</param>
    /// <exception cref="ArgumentException">n &lt; 2, K &lt; 2, NaN, or weights that are not a probability vector with positive entries.</exception>
    public static ModeWeightsResult Test(Points responsibilities, IReadOnlyList<double> trueWeights)
    {
        ArgumentNullException.ThrowIfNull(responsibilities);
        ArgumentNullException.ThrowIfNull(trueWeights);
        int n = responsibilities.Count, K = responsibilities.Dimension;
        if (n < 2) throw new ArgumentException($"need ≥ 2 points (got {n})", nameof(responsibilities));
        if (K < 2) throw new ArgumentException("need ≥ 2 components", nameof(responsibilities));
        if (trueWeights.Count != K) throw new ArgumentException($"{trueWeights.Count} weights for {K} components", nameof(trueWeights));
        if (trueWeights.Any(w => !(w > 0 && w < 1)) || Math.Abs(trueWeights.Sum() - 1) > 1e-9)
            throw new ArgumentException("true weights must lie in (0, 1) and sum to 1", nameof(trueWeights));
        var counts = new int[K];
        foreach (int a in Assign(responsibilities)) counts[a]++;

        // Two passes: the mean, then the covariance of the deviations from it.
        var mean = new double[K];
        for (int i = 0; i < n; i++)
        {
            var r = responsibilities.Row(i);
            for (int k = 0; k < K; k++) mean[k] += r[k];
        }
        for (int k = 0; k < K; k++) mean[k] /= n;
        var cov = Matrix<double>.Build.Dense(K, K);
        var dev = new double[K];
        for (int i = 0; i < n; i++)
        {
            var r = responsibilities.Row(i);
            for (int k = 0; k < K; k++) dev[k] = r[k] - mean[k];
            for (int j = 0; j < K; j++)
                for (int k = 0; k <= j; k++) cov[j, k] += dev[j] * dev[k];
        }
        for (int j = 0; j < K; j++)
            for (int k = 0; k <= j; k++) cov[k, j] = cov[j, k] = cov[j, k] / (n - 1);

        var modes = new ModeShare[K];
        for (int k = 0; k < K; k++)
        {
            var (lo, hi) = Wilson(counts[k], n);
            double half = Z975 * Math.Sqrt(cov[k, k] / n);
            modes[k] = new ModeShare(mean[k], Math.Max(0, mean[k] - half), Math.Min(1, mean[k] + half),
                counts[k], (double)counts[k] / n, lo, hi, trueWeights[k]);
        }
        var (statistic, df, p) = Wald(mean, trueWeights, cov, n);
        return new ModeWeightsResult(modes, n, statistic, df, p, TestName);
    }

    /// <summary>The name of the test in results and output.</summary>
    public const string TestName = "mean-responsibility Wald χ²";

    /// <summary>
    /// T = n dᵀ S⁺ d with d = r̄ − w, S⁺ the pseudo-inverse over S's eigenvalues above 1e-12 × the largest
    /// (and 1e-300); degrees of freedom = their number; p = χ²_df survival (Γ upper regularised, MathNet).
    /// A component of d beyond 1e-12 (responsibilities are probabilities: rounding is far below) along an
    /// eigenvector S does not vary in makes T = ∞, p = 0.
    /// </summary>
    static (double Statistic, int DegreesOfFreedom, double PValue) Wald(double[] mean, IReadOnlyList<double> w, Matrix<double> cov, int n)
    {
        int K = mean.Length;
        var d = Vector<double>.Build.Dense(K, k => mean[k] - w[k]);
        var evd = cov.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        double tol = Math.Max(1e-300, 1e-12 * values.Max());
        double t = 0;
        int df = 0;
        for (int j = 0; j < K; j++)
        {
            double proj = evd.EigenVectors.Column(j).DotProduct(d);
            if (values[j] > tol) { t += proj * proj / values[j]; df++; }
            else if (Math.Abs(proj) > 1e-12) return (double.PositiveInfinity, df, 0.0);
        }
        t *= n;
        if (df == 0) return (0, 0, 1.0);
        return (t, df, SpecialFunctions.GammaUpperRegularized(df / 2.0, t / 2));
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
}
