using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Low-order moment comparisons. Sample moments: mean μ̂ = (1/n)Σxᵢ; covariance Σ̂ with divisor n − 1 (unbiased);
/// per-coordinate skewness g₁ = m₃/m₂^(3/2) and excess kurtosis g₂ = m₄/m₂² − 3 with central moments
/// m_p = (1/n)Σ(x − μ̂)^p (the biased estimators of <c>scipy.stats.skew</c> and <c>scipy.stats.kurtosis</c> defaults).
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
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) mean[k] += x.Data[i * d + k];
        for (int k = 0; k < d; k++) mean[k] /= n;
        var cov = new double[d, d];
        var m2 = new double[d];
        var m3 = new double[d];
        var m4 = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                double ek = x.Data[i * d + k] - mean[k];
                for (int l = 0; l <= k; l++) cov[k, l] += ek * (x.Data[i * d + l] - mean[l]);
                double e2 = ek * ek;
                m2[k] += e2;
                m3[k] += e2 * ek;
                m4[k] += e2 * e2;
            }
        var skew = new double[d];
        var kurt = new double[d];
        for (int k = 0; k < d; k++)
        {
            for (int l = 0; l <= k; l++)
            {
                cov[k, l] /= n - 1;
                cov[l, k] = cov[k, l];
            }
            double v2 = m2[k] / n;
            if (!(v2 > 0)) throw new ArgumentException($"coordinate {k} has zero variance: skewness and kurtosis are undefined", name);
            skew[k] = m3[k] / n / Math.Pow(v2, 1.5);
            kurt[k] = m4[k] / n / (v2 * v2) - 3;
        }
        return new Summary(mean, cov, skew, kurt);
    }
}
