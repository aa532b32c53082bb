using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Low-order moment comparisons. Sample moments: mean μ̂ = (1/n)Σxᵢ; covariance Σ̂ with divisor n − 1 (unbiased);
/// per-coordinate skewness g₁ = m₃/m₂^(3/2) and excess kurtosis g₂ = m₄/m₂² − 3 with central moments
/// m_p = (1/n)Σ(x − μ̂)^p (the biased estimators of <c>scipy.stats.skew</c> and <c>scipy.stats.kurtosis</c> defaults),
/// around a compensated, corrected mean; a coordinate whose variance is below rounding is refused.
/// </summary>
public static class Moments
{
    /// <summary>Sample vs reference sample (sizes may differ).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 points, NaN, dimension mismatch, or a zero-variance coordinate.</exception>
    public static MomentsResult Compare(Points sample, Points reference)
    {
        var a = Summarise(sample, nameof(sample));
        var b = Summarise(reference, nameof(reference));
        if (a.Mean.Length != b.Mean.Length) throw new ArgumentException($"dimension mismatch: {a.Mean.Length} vs {b.Mean.Length}");
        return Build(a, b.Mean, b.Cov, b.Skew, b.Kurt);
    }

    /// <summary>Sample vs exact moments: mean (length d), covariance (d × d), optional skewness and excess kurtosis.</summary>
    /// <exception cref="ArgumentException">Shape mismatch, NaN, or a zero reference variance.</exception>
    public static MomentsResult CompareToExact(Points sample, double[] mean, double[,] covariance, double[]? skewness = null, double[]? excessKurtosis = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        var a = Summarise(sample, nameof(sample));
        int d = a.Mean.Length;
        if (mean.Length != d || covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException($"exact moments must have dimension {d}");
        if (skewness is not null && skewness.Length != d) throw new ArgumentException($"skewness must have length {d}", nameof(skewness));
        if (excessKurtosis is not null && excessKurtosis.Length != d) throw new ArgumentException($"kurtosis must have length {d}", nameof(excessKurtosis));
        return Build(a, mean, covariance, skewness, excessKurtosis);
    }

    sealed record Summary(double[] Mean, double[,] Cov, double[] Skew, double[] Kurt);

    static MomentsResult Build(Summary a, double[] mean, double[,] cov, double[]? skew, double[]? kurt)
    {
        int d = a.Mean.Length;
        double me = 0, fe = 0, fr = 0;
        var ratio = new double[d];
        for (int k = 0; k < d; k++)
        {
            if (!double.IsFinite(mean[k])) throw new ArgumentException("reference mean is not finite");
            me += (a.Mean[k] - mean[k]) * (a.Mean[k] - mean[k]);
            for (int l = 0; l < d; l++)
            {
                if (!double.IsFinite(cov[k, l])) throw new ArgumentException("reference covariance is not finite");
                double e = a.Cov[k, l] - cov[k, l];
                fe += e * e;
                fr += cov[k, l] * cov[k, l];
            }
            if (!(cov[k, k] > 0)) throw new ArgumentException($"reference variance of coordinate {k} is {cov[k, k]}: the ratio is undefined");
            ratio[k] = a.Cov[k, k] / cov[k, k];
        }
        double[]? ds = skew is null ? null : a.Skew.Select((v, k) => v - skew[k]).ToArray();
        double[]? dk = kurt is null ? null : a.Kurt.Select((v, k) => v - kurt[k]).ToArray();
        return new MomentsResult(Math.Sqrt(me), Math.Sqrt(fe), Math.Sqrt(fe) / Math.Sqrt(fr), ratio, ds, dk);
    }

    static Summary Summarise(Points x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        int n = x.Count, d = x.Dimension;
        if (n < 2) throw new ArgumentException($"need ≥ 2 points for a covariance, got {n}", name);
        foreach (double v in x.Data) if (!double.IsFinite(v)) throw new ArgumentException("sample contains NaN or ∞", name);
        // Mean: a Neumaier-compensated sum, then one correcting pass μ += Σ(x − μ)/n (the corrected
        // two-pass algorithm, Chan, Golub & LeVeque 1983, Am. Stat. 37(3) eq. 1.7): ten copies of one value
        // get exactly that value, so their deviations are 0, not ± one ulp that fakes a skewness of −1.
        var mean = new double[d];
        for (int k = 0; k < d; k++)
        {
            double sum = 0, compensation = 0;
            for (int i = 0; i < n; i++)
            {
                double v = x.Data[i * d + k], t = sum + v;
                compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
                sum = t;
            }
            mean[k] = (sum + compensation) / n;
            double correction = 0;
            for (int i = 0; i < n; i++) correction += x.Data[i * d + k] - mean[k];
            mean[k] += correction / n;
        }
        // Second pass: raw moments of the deviations e = x − μ̂ (exact where x is within a factor 2 of μ̂),
        // then shifted by their own small mean δ = Σe/n, which μ̂'s last-bit rounding leaves behind
        // (μ̂ cannot hold the mean of 1e8 + N(0, 1) closer than 7e-9): m₂ = ē² − δ², m₃ = ē³ − 3δē² + 2δ³,
        // m₄ = ē⁴ − 4δē³ + 6δ²ē² − 3δ⁴; Σ̂_kl = (Σe_k e_l − n δ_k δ_l)/(n − 1).
        var cov = new double[d, d];
        var s1 = new double[d];
        var m2 = new double[d];
        var m3 = new double[d];
        var m4 = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                double ek = x.Data[i * d + k] - mean[k];
                for (int l = 0; l <= k; l++) cov[k, l] += ek * (x.Data[i * d + l] - mean[l]);
                double e2 = ek * ek;
                s1[k] += ek;
                m2[k] += e2;
                m3[k] += e2 * ek;
                m4[k] += e2 * e2;
            }
        var skew = new double[d];
        var kurt = new double[d];
        var delta = s1.Select(v => v / n).ToArray();
        for (int k = 0; k < d; k++)
        {
            for (int l = 0; l <= k; l++)
            {
                cov[k, l] = (cov[k, l] - n * delta[k] * delta[l]) / (n - 1);
                cov[l, k] = cov[k, l];
            }
            double dk = delta[k], r2 = m2[k] / n, r3 = m3[k] / n, r4 = m4[k] / n;
            double v2 = r2 - dk * dk;
            double c3 = r3 - 3 * dk * r2 + 2 * dk * dk * dk;
            double c4 = r4 - 4 * dk * r3 + 6 * dk * dk * r2 - 3 * dk * dk * dk * dk;
            // Below rounding, the spread is the values' own rounding: refuse as SciPy 1.10 does
            // (scipy.stats.skew/kurtosis return NaN when m₂ ≤ (1e-15·mean)², float64's resolution).
            if (!(v2 > 0) || v2 <= (1e-15 * mean[k]) * (1e-15 * mean[k]))
                throw new ArgumentException(FormattableString.Invariant(
                    $"coordinate {k + 1} is constant to rounding (variance {v2:G3} ≤ (1e-15 · mean {mean[k]:G6})²): skewness and kurtosis are undefined"), name);
            skew[k] = c3 / Math.Pow(v2, 1.5);
            kurt[k] = c4 / (v2 * v2) - 3;
        }
        return new Summary(mean, cov, skew, kurt);
    }
}
