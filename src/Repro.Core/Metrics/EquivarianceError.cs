using Repro.Core.Geometry;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;

namespace Repro.Core.Metrics;

/// <summary>
/// How far a score source on point clouds is from E(3) × S_K equivariance: for a group element g and a
/// cloud X (K points in R³, one row of 3K coordinates x₁, y₁, z₁, x₂, …), the relative error
/// ‖s(g·X) − g·s(X)‖ / ‖s(X)‖, over many random g and every cloud given, reported as the maximum and
/// the 99th percentile, separately for proper rotations, reflections, translations and permutations.
/// </summary>
/// <remarks>
/// The group acts in float64 on the inputs and on the reference outputs, so the error measured is the
/// source's own (a float32 network's rounding included), not the action's. Rotations are Haar
/// (<see cref="HaarRotation"/>); reflections are Haar rotations composed with the mirror diag(1, 1, −1),
/// which is the uniform law on the improper coset of O(3); translations are N(0, r²I₃) with r the cloud's
/// root-mean-square radius about its centre (1 when all points coincide), so the test is scale-free;
/// permutations are uniform. A score field is invariant under translations (g·s = s) and moves with
/// the points under permutations. When ‖s(X)‖ = 0 the relative error is 0 if s(g·X) = g·s(X) exactly and +∞ otherwise.
/// </remarks>
public static class EquivarianceError
{
    /// <summary>Fewest random group elements per transformation family.</summary>
    public const int MinDraws = 32;

    /// <summary>Measures the four families.</summary>
    /// <param name="score">The score source; its <see cref="IScoreSource.Dimension"/> must be 3K.</param>
    /// <param name="clouds">n ≥ 1 clouds, n × 3K.</param>
    /// <param name="sigma">Noise level σ the source is asked at.</param>
    /// <param name="draws">Group elements per family, ≥ <see cref="MinDraws"/>; each acts on every cloud.</param>
    /// <param name="rng">Stream of the group elements: children "rotation", "reflection", "translation", "permutation".</param>
    /// <exception cref="ArgumentException">Dimensions disagree or are not a multiple of 3, or too few draws.</exception>
    public static EquivarianceErrorResult Measure(IScoreSource score, Points clouds, double sigma, int draws, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(clouds);
        ArgumentNullException.ThrowIfNull(rng);
        int d = clouds.Dimension;
        if (d % 3 != 0) throw new ArgumentException($"clouds have {d} coordinates, not 3K", nameof(clouds));
        if (score.Dimension != d) throw new ArgumentException($"score source has dimension {score.Dimension}, clouds have {d}", nameof(score));
        if (clouds.Count < 1) throw new ArgumentException("need at least one cloud", nameof(clouds));
        if (draws < MinDraws) throw new ArgumentException($"need at least {MinDraws} draws, got {draws}", nameof(draws));

        var reference = new double[clouds.Data.Length];
        score.Score(clouds.Data, sigma, reference);

        return new EquivarianceErrorResult(
            Family(score, clouds, reference, sigma, draws, rng.Child("rotation"), Rotate),
            Family(score, clouds, reference, sigma, draws, rng.Child("reflection"), Reflect),
            Family(score, clouds, reference, sigma, draws, rng.Child("translation"), Translate),
            Family(score, clouds, reference, sigma, draws, rng.Child("permutation"), Permute));
    }

    /// <summary>
    /// Applies one random group element to a block of clouds: writes g·X into the first span and g·s
    /// into the second, given X and s(X); the element is drawn from the stream once per block.
    /// </summary>
    delegate void GroupAction(RandomStream rng, Points x, ReadOnlySpan<double> s, Span<double> gx, Span<double> gs);

    static EquivarianceErrorSummary Family(IScoreSource score, Points clouds, double[] reference, double sigma, int draws, RandomStream rng, GroupAction act)
    {
        int n = clouds.Count, d = clouds.Dimension;
        var gx = new double[clouds.Data.Length];
        var gs = new double[clouds.Data.Length];
        var sg = new double[clouds.Data.Length];
        var errors = new double[draws * n];
        for (int t = 0; t < draws; t++)
        {
            act(rng, clouds, reference, gx, gs);
            score.Score(gx, sigma, sg);
            for (int i = 0; i < n; i++)
            {
                double diff = 0, norm = 0;
                for (int j = i * d; j < (i + 1) * d; j++)
                {
                    diff += (sg[j] - gs[j]) * (sg[j] - gs[j]);
                    norm += reference[j] * reference[j];
                }
                errors[t * n + i] = norm > 0 ? Math.Sqrt(diff / norm) : diff == 0 ? 0 : double.PositiveInfinity;
            }
        }
        Array.Sort(errors);
        return new EquivarianceErrorSummary(errors[^1], Quantile(errors, 0.99), errors.Length);
    }

    /// <summary>Linear interpolation between order statistics (NumPy's default "linear" method).</summary>
    static double Quantile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        if (double.IsPositiveInfinity(sorted[hi])) return h == lo ? sorted[lo] : double.PositiveInfinity;
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static void Rotate(RandomStream rng, Points x, ReadOnlySpan<double> s, Span<double> gx, Span<double> gs)
    {
        Span<double> q = stackalloc double[9];
        HaarRotation.Sample(rng, q);
        ApplyOrthogonal(q, x.Data, gx);
        ApplyOrthogonal(q, s, gs);
    }

    static void Reflect(RandomStream rng, Points x, ReadOnlySpan<double> s, Span<double> gx, Span<double> gs)
    {
        Span<double> q = stackalloc double[9];
        HaarRotation.Sample(rng, q);
        // Q = R·diag(1, 1, −1): det Q = −1.
        q[2] = -q[2];
        q[5] = -q[5];
        q[8] = -q[8];
        ApplyOrthogonal(q, x.Data, gx);
        ApplyOrthogonal(q, s, gs);
    }

    static void Translate(RandomStream rng, Points x, ReadOnlySpan<double> s, Span<double> gx, Span<double> gs)
    {
        int d = x.Dimension, k = d / 3;
        Span<double> t = stackalloc double[3];
        rng.FillGaussian(t);
        for (int i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<double> row = x.Row(i);
            double radius = RootMeanSquareRadius(row);
            if (radius == 0) radius = 1;
            for (int p = 0; p < k; p++)
                for (int c = 0; c < 3; c++) gx[i * d + 3 * p + c] = row[3 * p + c] + radius * t[c];
        }
        s.CopyTo(gs);
    }

    static void Permute(RandomStream rng, Points x, ReadOnlySpan<double> s, Span<double> gx, Span<double> gs)
    {
        int d = x.Dimension, k = d / 3;
        int[] perm = rng.Permutation(k);
        for (int i = 0; i < x.Count; i++)
            for (int p = 0; p < k; p++)
                for (int c = 0; c < 3; c++)
                {
                    gx[i * d + 3 * p + c] = x.Data[i * d + 3 * perm[p] + c];
                    gs[i * d + 3 * p + c] = s[i * d + 3 * perm[p] + c];
                }
    }

    /// <summary>Every point v (a row triple) ↦ Q·v, for a block of clouds.</summary>
    static void ApplyOrthogonal(ReadOnlySpan<double> q, ReadOnlySpan<double> source, Span<double> destination)
    {
        for (int p = 0; p < source.Length; p += 3)
        {
            double a = source[p], b = source[p + 1], c = source[p + 2];
            destination[p] = q[0] * a + q[1] * b + q[2] * c;
            destination[p + 1] = q[3] * a + q[4] * b + q[5] * c;
            destination[p + 2] = q[6] * a + q[7] * b + q[8] * c;
        }
    }

    static double RootMeanSquareRadius(ReadOnlySpan<double> row)
    {
        int k = row.Length / 3;
        Span<double> centre = stackalloc double[3];
        for (int p = 0; p < k; p++)
            for (int c = 0; c < 3; c++) centre[c] += row[3 * p + c] / k;
        double sum = 0;
        for (int p = 0; p < k; p++)
            for (int c = 0; c < 3; c++) sum += (row[3 * p + c] - centre[c]) * (row[3 * p + c] - centre[c]);
        return Math.Sqrt(sum / k);
    }
}
