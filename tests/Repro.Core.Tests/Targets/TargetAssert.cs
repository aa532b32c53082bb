using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

/// <summary>Shared checks for targets: finite-difference scores, sample moments, empirical CDFs.</summary>
static class TargetAssert
{
    /// <summary>The smoothings every score test runs: p₀, several p_σ, and a variance-preserving marginal.</summary>
    public static readonly Smoothing[] Smoothings =
    [
        Smoothing.None, Smoothing.Gaussian(0.05), Smoothing.Gaussian(0.5), Smoothing.Gaussian(2.0), new Smoothing(0.8, 0.6),
    ];

    /// <summary>
    /// Checks ∇ log p against the fourth-order central difference (step h = 1e-4·max(1, |x_j|)),
    /// requiring ‖fd − score‖ ≤ 1e-6·(‖score‖ + 1e-3).
    /// </summary>
    public static void ScoreMatchesFiniteDifference(Func<double[], double> logDensity, double[] x, double[] score, string label)
    {
        int d = x.Length;
        double err = 0, norm = 0;
        for (int j = 0; j < d; j++)
        {
            double h = 1e-4 * Math.Max(1.0, Math.Abs(x[j]));
            double F(double delta)
            {
                var y = (double[])x.Clone();
                y[j] += delta;
                return logDensity(y);
            }
            double fd = (-F(2 * h) + 8 * F(h) - 8 * F(-h) + F(-2 * h)) / (12 * h);
            err += (fd - score[j]) * (fd - score[j]);
            norm += score[j] * score[j];
        }
        err = Math.Sqrt(err);
        norm = Math.Sqrt(norm);
        Assert.True(double.IsFinite(err) && err <= 1e-6 * (norm + 1e-3),
            $"{label}: x = [{string.Join(", ", x)}], score = [{string.Join(", ", score)}], |fd − score| = {err:E3}, |score| = {norm:E3}");
    }

    /// <summary>Checks a component's score against finite differences of its own log-density.</summary>
    public static void ComponentScoreMatchesFiniteDifference(IComponent c, double[] x, Smoothing s, string label)
    {
        var score = new double[c.Dimension];
        double lp = c.LogDensity(x, s, score);
        Assert.True(double.IsFinite(lp), $"{label}: log p = {lp} at [{string.Join(", ", x)}]");
        ScoreMatchesFiniteDifference(y => c.LogDensity(y, s, Span<double>.Empty), x, score, label);
    }

    /// <summary>Draws n points of the smoothed law a·x₀ + σε from p₀ draws of <paramref name="sample"/>.</summary>
    public static Points SmoothedSample(Func<int, RandomStream, Points> sample, int n, Smoothing s, RandomStream rng)
    {
        Points p = sample(n, rng.Child("x0"));
        var noise = rng.Child("noise");
        for (int i = 0; i < p.Data.Length; i++) p.Data[i] = s.Scale * p.Data[i] + s.Sigma * noise.NextGaussian();
        return p;
    }

    /// <summary>n draws of p₀ from a single component.</summary>
    public static Points SampleComponent(IComponent c, int n, RandomStream rng)
    {
        var p = Points.Zeros(n, c.Dimension);
        for (int i = 0; i < n; i++) c.Sample(rng, p[i]);
        return p;
    }

    /// <summary>Checks mean and covariance against a sample within <paramref name="sigmas"/> standard errors (plus a small floor).</summary>
    public static void MomentsMatchSample(double[] mean, double[] covariance, Points sample, double sigmas = 5)
    {
        int n = sample.Count, d = sample.Dimension;
        var m = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) m[j] += sample.Data[i * d + j] / n;
        for (int j = 0; j < d; j++)
        {
            double se = Math.Sqrt(covariance[j * d + j] / n);
            Assert.True(Math.Abs(m[j] - mean[j]) <= sigmas * se + 1e-12, $"mean[{j}]: sample {m[j]}, exact {mean[j]}, se {se}");
        }
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++)
            {
                double c = 0, c2 = 0;
                for (int i = 0; i < n; i++)
                {
                    double v = (sample.Data[i * d + j] - mean[j]) * (sample.Data[i * d + k] - mean[k]);
                    c += v;
                    c2 += v * v;
                }
                c /= n;
                double se = Math.Sqrt(Math.Max(c2 / n - c * c, 0) / n);
                double exact = covariance[j * d + k];
                Assert.True(Math.Abs(c - exact) <= sigmas * se + 1e-12, $"cov[{j},{k}]: sample {c}, exact {exact}, se {se}");
            }
    }

    /// <summary>Kolmogorov distance between an exact CDF and the empirical CDF of one coordinate is below 1.63/√n·1.5 (≈ 1% level × margin).</summary>
    public static void MarginalCdfMatchesSample(Func<double, double> cdf, double[] values, string label)
    {
        var v = (double[])values.Clone();
        Array.Sort(v);
        int n = v.Length;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(v[i]);
            worst = Math.Max(worst, Math.Max(Math.Abs(f - (i + 1.0) / n), Math.Abs(f - (double)i / n)));
        }
        // 1.63/√n is the 1% Kolmogorov critical value; the margin keeps a fixed-seed test robust.
        Assert.True(worst < 1.5 * 1.63 / Math.Sqrt(n), $"{label}: Kolmogorov distance {worst:E3} with n = {n}");
    }

    /// <summary>Checks the mixture score against finite differences at each row of <paramref name="x"/>.</summary>
    public static void MixtureScoreMatchesFiniteDifference(Mixture m, Points x, Smoothing s, string label)
    {
        Points score = m.Score(x, s);
        for (int i = 0; i < x.Count; i++)
            TargetAssert.ScoreMatchesFiniteDifference(y => m.LogDensity(new Points(y, m.Dimension), s)[0], x.Row(i).ToArray(), score.Row(i).ToArray(), $"{label} {s} row {i}");
    }

    /// <summary>Asserts the sample mean of ∇log p(x)·x + d is within 4 standard errors of 0.</summary>
    public static void SteinIdentityHolds(Points x, Points score)
    {
        int n = x.Count, d = x.Dimension;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++)
        {
            double v = d;
            for (int j = 0; j < d; j++) v += score.Data[i * d + j] * x.Data[i * d + j];
            sum += v;
            sum2 += v * v;
        }
        double mean = sum / n, se = Math.Sqrt((sum2 / n - mean * mean) / n);
        Assert.True(Math.Abs(mean) < 4 * se, $"Stein mean {mean} ± {se}");
    }
}
