using System.Globalization;
using System.Text.Json;
using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

/// <summary>
/// The exact truth far from the data: every component kind and the mixture, swept out to |x| = 1e300
/// against the closed form (Gaussians: −Σ⁻¹(x − μ); the segment and the truncated-normal mass:
/// 400-digit mpmath values from Fixtures/targets/make_tail_fixtures.py). Where log p leaves the double
/// range (log p = −∞) the score must stay finite and right.
/// </summary>
public class TailTruthTests
{
    /// <summary>1, 10, …, 1e300, with the points where the old mixture code broke (2e16, 1.9e154).</summary>
    public static readonly double[] Magnitudes =
        [1, 10, 1e3, 1e8, 1e16, 2e16, 1e17, 1e50, 1e100, 1e150, 1e153, 1e154, 1.9e154, 1e155, 1e200, 1e250, 1e300];

    static double[] Score(Mixture m, params double[] x) => m.Score(new Points(x, m.Dimension), Smoothing.None).Row(0).ToArray();

    static void RelativelyClose(double[] expected, double[] actual, double tolerance, string what)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            err = Math.Max(err, Math.Abs(actual[i] - expected[i]));
            norm = Math.Max(norm, Math.Abs(expected[i]));
        }
        Assert.True(actual.All(double.IsFinite), $"{what}: score [{string.Join(", ", actual)}] is not finite");
        Assert.True(err <= tolerance * norm,
            $"{what}: expected [{string.Join(", ", expected.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], " +
            $"got [{string.Join(", ", actual.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]");
    }

    [Fact]
    public void A_narrow_gaussian_has_the_score_minus_x_over_v_at_1e154_where_log_p_underflows()
    {
        // The issue's case: N(0, 0.01) at x = 1e154 has log p = −5e309 (not a double) and score −1e156.
        var m = new Mixture([1.0], [new GaussianComponent([0.0], [0.01])]);
        Assert.Equal(-1e156, Score(m, 1e154)[0], 1e142);
        Assert.True(double.IsNegativeInfinity(m.LogDensity(new Points([1e154], 1), Smoothing.None)[0]));
        Assert.Equal(1.0, m.Responsibilities(new Points([1e154], 1), Smoothing.None).Row(0)[0]);
        foreach (double r in Magnitudes)
            foreach (double x in new[] { r, -r })
                RelativelyClose([-x / 0.01], Score(m, x), 1e-15, $"N(0, 0.01) at {x:R}");
    }

    [Fact]
    public void Two_equal_gaussians_follow_the_nearer_mode_and_are_never_doubled()
    {
        // dsm-1d-two-gaussians: 0.5 N(−2, 1) + 0.5 N(2, 1); far out the nearer mode dominates,
        // score −(x − 2) for x > 0 (≈ −1e100 at 1e100; it once read −2e100 from |x| ≈ 2e16 on, 0 beyond 1.9e154).
        var m = MixtureTests.GaussianMixture(1);
        Assert.Equal(-1e100, Score(m, 1e100)[0], 1e86);
        foreach (double r in Magnitudes.Where(r => r >= 10))
        {
            RelativelyClose([-(r - 2)], Score(m, r), 1e-15, $"two Gaussians at {r:R}");
            RelativelyClose([-(-r + 2)], Score(m, -r), 1e-15, $"two Gaussians at {-r:R}");
            var resp = m.Responsibilities(new Points([r], 1), Smoothing.None).Row(0).ToArray();
            Assert.Equal(1.0, resp.Sum(), 15);
        }
    }

    [Fact]
    public void Far_out_the_widest_component_dominates_even_where_every_log_density_underflows()
    {
        // 0.9 N(0, 1) + 0.1 N(5, 100): beyond a few units the wide component holds all the mass.
        var m = new Mixture([0.9, 0.1], [new GaussianComponent([0.0], [1.0]), new GaussianComponent([5.0], [100.0])]);
        foreach (double r in Magnitudes.Where(r => r >= 1e3))
            foreach (double x in new[] { r, -r })
            {
                RelativelyClose([-(x - 5) / 100], Score(m, x), 1e-15, $"wide/narrow at {x:R}");
                var resp = m.Responsibilities(new Points([x], 1), Smoothing.None).Row(0).ToArray();
                Assert.Equal([0.0, 1.0], resp);
            }
    }

    [Fact]
    public void A_correlated_2d_gaussian_mixture_has_the_dominant_closed_form_score_in_every_direction()
    {
        // N((−1, 2), [[1.5, 0.6], [0.6, 0.8]]) (weight 0.3) + N((3, 0), [[1, −0.3], [−0.3, 0.5]]) (0.7).
        var m = MixtureTests.GaussianMixture(2);
        double[][] inverses = [Inverse2(1.5, 0.6, 0.8), Inverse2(1, -0.3, 0.5)];
        double[][] means = [[-1, 2], [3, 0]];
        foreach (double r in Magnitudes.Where(r => r >= 1e3))
            foreach (var (ux, uy) in new[] { (1.0, 0.0), (0.0, -1.0), (0.6, 0.8), (-0.8, 0.6), (-0.28, -0.96) })
            {
                double[] x = [r * ux, r * uy];
                // The dominant component far along u is the one with the smallest uᵀΣ⁻¹u.
                int k = Quadratic(inverses[0], ux, uy) < Quadratic(inverses[1], ux, uy) ? 0 : 1;
                double[] inv = inverses[k];
                double dx = x[0] - means[k][0], dy = x[1] - means[k][1];
                double[] expected = [-(inv[0] * dx + inv[1] * dy), -(inv[2] * dx + inv[3] * dy)];
                RelativelyClose(expected, Score(m, x), 1e-14, $"2D mixture at ({x[0]:R}, {x[1]:R})");
            }
    }

    [Fact]
    public void The_truncated_normal_mass_and_its_mean_match_mpmath_to_the_end_of_the_double_range()
    {
        foreach (var c in Fixture("truncated"))
        {
            double a = Number(c, "a"), width = Number(c, "width");
            var (logMass, g) = StandardNormal.TruncatedMass(a, width);
            double expectedLog = Number(c, "logMass"), expectedG = Number(c, "g");
            if (double.IsNegativeInfinity(expectedLog)) Assert.True(double.IsNegativeInfinity(logMass), $"a = {a:R}: log mass {logMass:R}");
            else Assert.True(Math.Abs(logMass - expectedLog) <= 1e-13 * Math.Max(1, Math.Abs(expectedLog)), $"a = {a:R}, width {width}: log mass {logMass:R}, mpmath {expectedLog:R}");
            Assert.True(Math.Abs(g - expectedG) <= 1e-13 * Math.Max(1, Math.Abs(expectedG)), $"a = {a:R}, width {width}: G = {g:R}, mpmath {expectedG:R}");
        }
    }

    [Fact]
    public void The_smoothed_noisy_segment_score_matches_mpmath_out_to_1e300()
    {
        // dsm-2d-blob-line's segment at its training σ = 1.2.
        var segment = new NoisySegmentComponent(0, 10, 0.4, -5, 0.2);
        int n = 0;
        foreach (var c in Fixture("segment"))
        {
            double[] x = [Number(c, "x"), Number(c, "y")];
            var expected = c.GetProperty("score").EnumerateArray().Select(Number).ToArray();
            var score = new double[2];
            segment.LogDensity(x, Smoothing.Gaussian(Number(c, "sigma")), score);
            RelativelyClose(expected, score, 1e-12, $"segment at ({x[0]:R}, {x[1]:R})");
            n++;
        }
        Assert.Equal(48, n);
    }

    [Fact]
    public void The_unsmoothed_segment_keeps_its_line_score_far_above_and_below_the_line()
    {
        // p₀ inside x ∈ [0, 10]: score (k r, −r)/s² with r = y − k x − c, s = 0.2, however far y is.
        var segment = new NoisySegmentComponent(0, 10, 0.4, -5, 0.2);
        foreach (double r in Magnitudes)
            foreach (double y in new[] { r, -r })
            {
                double px = 3, res = y - 0.4 * px + 5;
                var score = new double[2];
                segment.LogDensity([px, y], Smoothing.None, score);
                RelativelyClose([0.4 * res / 0.04, -res / 0.04], score, 1e-15, $"p₀ segment at (3, {y:R})");
            }
    }

    [Fact]
    public void The_empirical_score_points_back_to_the_outermost_data_point_out_to_1e300()
    {
        // Far along u the weights exp(−‖x − xᵢ‖²/2σ²) concentrate on the point maximising u·xᵢ:
        // the score is (xᵢ* − x)/σ² (Tweedie's denoiser returns that point).
        double[] data = [0, 0, 1, 0.5, -2, 1, 0.5, -3];
        var empirical = new EmpiricalComponent(new Points(data, 2));
        const double sigma = 0.7;
        foreach (double r in Magnitudes.Where(r => r >= 1e3))
            foreach (var (ux, uy) in new[] { (1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0), (0.6, -0.8) })
            {
                int best = Enumerable.Range(0, 4).MaxBy(i => ux * data[2 * i] + uy * data[2 * i + 1]);
                double[] x = [r * ux, r * uy];
                double[] expected = [(data[2 * best] - x[0]) / (sigma * sigma), (data[2 * best + 1] - x[1]) / (sigma * sigma)];
                var score = new double[2];
                empirical.LogDensity(x, Smoothing.Gaussian(sigma), score);
                RelativelyClose(expected, score, 1e-15, $"empirical at ({x[0]:R}, {x[1]:R})");
            }
    }

    [Fact]
    public void The_blob_line_mixture_score_stays_finite_and_follows_a_component_everywhere()
    {
        // dsm-2d-blob-line at σ = 1.2: far out the mixture score equals one component's own score.
        var blob = new GaussianComponent([-5.0, 0.0], [1, 0, 0, 1]);
        var segment = new NoisySegmentComponent(0, 10, 0.4, -5, 0.2);
        var m = new Mixture([0.5, 0.5], [blob, segment]);
        var smoothing = Smoothing.Gaussian(1.2);
        foreach (double r in Magnitudes.Where(r => r >= 1e3))
            foreach (var (ux, uy) in new[] { (1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.6, -0.8), (-0.28, 0.96) })
            {
                double[] x = [r * ux, r * uy];
                var got = m.Score(new Points(x, 2), smoothing).Row(0).ToArray();
                double[] sb = new double[2], ss = new double[2];
                blob.LogDensity(x, smoothing, sb);
                segment.LogDensity(x, smoothing, ss);
                double eb = Math.Max(Math.Abs(got[0] - sb[0]), Math.Abs(got[1] - sb[1]));
                double es = Math.Max(Math.Abs(got[0] - ss[0]), Math.Abs(got[1] - ss[1]));
                double norm = Math.Max(Math.Abs(got[0]), Math.Abs(got[1]));
                Assert.True(got.All(double.IsFinite) && Math.Min(eb, es) <= 1e-14 * norm,
                    $"blob-line at ({x[0]:R}, {x[1]:R}): [{got[0]:R}, {got[1]:R}] is neither the blob's [{sb[0]:R}, {sb[1]:R}] nor the segment's [{ss[0]:R}, {ss[1]:R}]");
            }
    }

    static double[] Inverse2(double a, double b, double d)
    {
        double det = a * d - b * b;
        return [d / det, -b / det, -b / det, a / det];
    }

    static double Quadratic(double[] inv, double ux, double uy) => ux * (inv[0] * ux + inv[1] * uy) + uy * (inv[2] * ux + inv[3] * uy);

    static List<JsonElement> Fixture(string name)
    {
        string path = Path.Combine(RepoPaths.Fixtures, "targets", "tail.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.Clone()).ToList();
    }

    static double Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

    static double Number(JsonElement e, string name) => Number(e.GetProperty(name));
}

public class NanStatisticTests
{
    [Fact]
    public void A_ksd_statistic_that_overflows_to_nan_has_no_p_value()
    {
        // Finite particles at ±1e200 with scores ∓1e300: s(x)·s(y) overflows and ∞ − ∞ makes KSD² NaN.
        var x = new Points([1e200, -1e200, 1e200, -1e200, 3e199, -2e200], 1);
        var result = Repro.Core.Metrics.KernelStein.Test(x, p => new Points(p.Data.Select(v => -v * 1e100).ToArray(), 1), 20,
            new Repro.Core.Random.RandomStream(1));

        Assert.True(double.IsNaN(result.Ksd2), $"KSD² = {result.Ksd2}");
        Assert.True(double.IsNaN(result.PValue), $"p = {result.PValue} for a NaN statistic");
    }
}
