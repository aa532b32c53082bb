using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;

namespace Repro.Core.Tests.Metrics;

public class MomentsTests
{
    [Fact]
    public void HandComputedAgainstExact()
    {
        // x = 0,1,2,3: mean 1.5, variance (n−1) 5/3, skewness 0, m2 = 1.25, m4 = 2.5625 → g2 = 2.5625/1.5625 − 3 = −1.36
        var x = new Points([0, 1, 2, 3], 1);
        var r = Moments.CompareToExact(x, [1.0], new double[,] { { 2.0 } }, [0.5], [0.0]);
        Assert.Equal(0.5, r.MeanError, 14);
        Assert.Equal(1.0 / 3, r.CovarianceErrorFrobenius, 14);
        Assert.Equal(1.0 / 6, r.CovarianceErrorRelative, 14);
        Assert.Equal(5.0 / 6, r.VarianceRatio[0], 14);
        Assert.Equal(-0.5, r.SkewnessDifference![0], 14);
        Assert.Equal(-1.36, r.ExcessKurtosisDifference![0], 12);
        Assert.Null(Moments.CompareToExact(x, [1.0], new double[,] { { 2.0 } }).SkewnessDifference);
    }

    [Fact]
    public void SampleVsSampleIsSymmetricInMeanAndCovariance()
    {
        var a = KolmogorovSmirnovTests.Gaussian(new RandomStream(71), 400, 3, 0);
        var b = KolmogorovSmirnovTests.Gaussian(new RandomStream(72), 300, 3, 0.2);
        var ab = Moments.Compare(a, b);
        var ba = Moments.Compare(b, a);
        Assert.Equal(ab.MeanError, ba.MeanError, 12);
        Assert.Equal(ab.CovarianceErrorFrobenius, ba.CovarianceErrorFrobenius, 12);
        Assert.InRange(ab.MeanError, 0.2, 0.5); // shift 0.2 in each of 3 coordinates ≈ 0.35
    }

    [Fact]
    public void LargeGaussianSampleMatchesExactMoments()
    {
        var x = KolmogorovSmirnovTests.Gaussian(new RandomStream(73), 100000, 2, 0);
        var r = Moments.CompareToExact(x, [0, 0], new double[,] { { 1, 0 }, { 0, 1 } }, [0, 0], [0, 0]);
        Assert.True(r.MeanError < 0.02);
        Assert.True(r.CovarianceErrorRelative < 0.02);
        Assert.All(r.VarianceRatio, v => Assert.InRange(v, 0.98, 1.02));
        Assert.All(r.SkewnessDifference!, v => Assert.InRange(v, -0.04, 0.04));
        Assert.All(r.ExcessKurtosisDifference!, v => Assert.InRange(v, -0.08, 0.08));
    }

    [Fact]
    public void DegenerateInputThrows()
    {
        Assert.Throws<ArgumentException>(() => Moments.Compare(Points.Zeros(1, 2), Points.Zeros(5, 2)));
        Assert.Throws<ArgumentException>(() => Moments.Compare(new Points([1, 2, 3, 4], 2), Points.Zeros(2, 2))); // zero variance
        Assert.Throws<ArgumentException>(() => Moments.CompareToExact(new Points([0, 1, 2], 1), [0], new double[,] { { 0 } }));
        Assert.Throws<ArgumentException>(() => Moments.CompareToExact(new Points([0, double.NaN], 1), [0], new double[,] { { 1 } }));
    }

    // The sample's own skewness and excess kurtosis: against exact zero references the differences are them.
    static (double Skew, double Kurt) Shape(double[] x)
    {
        var r = Moments.CompareToExact(new Points(x, 1), [0], new double[,] { { 1 } }, [0], [0]);
        return (r.SkewnessDifference![0], r.ExcessKurtosisDifference![0]);
    }

    [Fact]
    public void Skewness_and_kurtosis_match_exact_rational_arithmetic_on_offset_and_scaled_samples()
    {
        // Fixtures/metrics/moments_exact.json: Python fractions over the stored doubles (make_moments_exact.py).
        foreach (var c in MetricsFixture.Cases("moments_exact.json"))
        {
            var (skew, kurt) = Shape(c.Doubles("x"));
            string name = c.GetProperty("name").GetString()!;
            MetricsFixture.Close(c.D("skewness"), skew, 1e-9, 1e-12, name + ": skewness");
            MetricsFixture.Close(c.D("excess_kurtosis"), kurt, 1e-9, 1e-12, name + ": excess kurtosis");
        }
    }

    [Theory]
    [InlineData(-0.27829495, 10)] // Σx/n is one ulp off this value: the old mean gave skewness −1, kurtosis −2
    [InlineData(14.3, 7)]
    [InlineData(1.01, 100)]
    [InlineData(-0.27829495 * 1125899906842624.0, 10)] // × 2⁵⁰
    [InlineData(-0.27829495 / 1125899906842624.0, 10)] // × 2⁻⁵⁰
    public void A_constant_sample_is_refused_not_given_a_shape(double value, int n)
    {
        var e = Assert.Throws<ArgumentException>(() => Shape(Enumerable.Repeat(value, n).ToArray()));
        Assert.Contains("constant to rounding", e.Message);
        Assert.Equal("sample", e.ParamName);
    }

    [Fact]
    public void A_spread_at_the_rounding_of_the_values_is_refused_as_scipy_does()
    {
        // 1 + k·1e-16, k = −3..3: SciPy 1.10 skew and kurtosis give NaN (variance 3.9e-32 ≤ (1e-15 · 1)²).
        var e = Assert.Throws<ArgumentException>(() => Shape(Enumerable.Range(-3, 7).Select(k => 1 + k * 1e-16).ToArray()));
        Assert.Contains("constant to rounding", e.Message);
        var r = Assert.Throws<ArgumentException>(() => Moments.Compare(new Points([0, 1, 2, 4], 1), new Points([5, 5, 5], 1)));
        Assert.Equal("reference", r.ParamName);
    }
}
