using Repro.Core.Numerics;

namespace Repro.Core.Tests.Targets;

public class StandardNormalTests
{
    // Reference values from mpmath at 60 digits: log(Q(a) − Q(b)) and log(Φ(b) − Φ(a)).
    [Theory]
    [InlineData(30.0, 31.0, -454.321243956343252037195195807014271343)]
    [InlineData(-40.0, -39.0, -765.083156564377544410809718564744117282)]
    [InlineData(-2.0, 3.0, -0.0243951875548873460578225519439700184549)]
    public void LogDiffNormalCdf_matches_high_precision_values(double a, double b, double expected)
    {
        double got = StandardNormal.LogDiffNormalCdf(a, b);
        Assert.True(Math.Abs(got - expected) <= 1e-13 * Math.Abs(expected), $"got {got:R}, expected {expected:R}");
    }

    [Fact]
    public void LogDiffNormalCdf_agrees_with_the_tail_asymptotic()
    {
        // For a ≫ 1 and b − a ≥ 1: log(Q(a) − Q(b)) ≈ log φ(a) − log a + log(1 − 1/a² + 3/a⁴) with Q(b)/Q(a) ≪ 1e-16.
        foreach (double a in new[] { 45.0, 100.0, 1e4 })
        {
            double expected = -0.5 * a * a - StandardNormal.HalfLogTwoPi - Math.Log(a) + Math.Log(1 - 1 / (a * a) + 3 / Math.Pow(a, 4) - 15 / Math.Pow(a, 6));
            // The truncated series itself is good to ~1e-11 absolute in the log (next term 105/a⁸).
            Assert.True(Math.Abs(StandardNormal.LogDiffNormalCdf(a, a + 1) - expected) < 1e-10);
            Assert.True(Math.Abs(StandardNormal.LogDiffNormalCdf(-a - 1, -a) - expected) < 1e-10);
        }
    }

    [Fact]
    public void LogCdf_is_continuous_across_its_branches()
    {
        foreach (double z in new[] { -35.0, 0.0 })
        {
            double below = StandardNormal.LogCdf(Math.BitDecrement(z)), above = StandardNormal.LogCdf(Math.BitIncrement(z));
            Assert.True(Math.Abs(below - above) <= 1e-13 * Math.Abs(above) + 1e-15, $"at {z}: {below:R} vs {above:R}");
        }
        Assert.Equal(-15.0649983939887257360837047918967256050677, StandardNormal.LogCdf(-5), 12);
    }

    [Fact]
    public void Naive_difference_of_cdfs_loses_everything_in_the_upper_tail()
    {
        double naive = Math.Log(StandardNormal.Cdf(31) - StandardNormal.Cdf(30));
        Assert.True(double.IsNegativeInfinity(naive) || double.IsNaN(naive));
        Assert.True(double.IsFinite(StandardNormal.LogDiffNormalCdf(30, 31)));
    }
}
