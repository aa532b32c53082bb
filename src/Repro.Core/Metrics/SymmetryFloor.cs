using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Metrics;

/// <summary>
/// The smallest score error an equivariant network can reach on a law that lacks the network's symmetry: the
/// score of the law averaged over the symmetry group, projected to zero centre of mass, against the law's own score.
/// </summary>
/// <remarks>
/// <para>
/// A network f that is equivariant under a group G of orthogonal maps of the cloud (f(gX) = g·f(X)) and invariant
/// under translations (f(X + 1tᵀ) = f(X), so f may depend on X only through its centred part) minimises
/// E_p‖f − ∇log p‖² at f* = P·∇log p_G, where p_G(X) = (1/|G|)·Σ_g p(gX) is the law averaged over G and P removes the
/// centre of mass: pairing X with gX turns the error into (1/|G|)·Σ_g ∫ p(gX)·‖f(X) − g⁻¹∇log p(gX)‖² dX, which is
/// least pointwise at the p(gX)-weighted mean Σ_g p(gX)·g⁻¹∇log p(gX) / Σ_g p(gX) = ∇log p_G(X); the translation
/// part follows because a cloud's centre of mass is independent of its centred part for the laws here (isotropic
/// Gaussian noise), so E[(1 − P)∇log p | centred X] = 0. The floor is that minimum as a relative L2 error,
/// √(E‖f* − ∇log p‖² / E‖∇log p‖²), estimated on draws of p with the exact scores (no network involved).
/// </para>
/// <para>
/// The law's SO(3) invariance is assumed (every 3D target here is rotation-invariant), so the average over
/// O(3) needs only the identity and one reflection J = diag(1, 1, −1) applied to every point; with permutations
/// of the K points (S_K) it is over the 2·K! elements (J^e, π). Where p is already invariant (a centred Gaussian
/// cloud, an achiral template) the floor is 0 up to rounding; on a chiral template it is the error a distance-only
/// EGNN cannot avoid, however long it trains (Satorras, Hoogeboom &amp; Welling 2021 note that E(n) equivariance
/// includes reflections; Hoogeboom et al. 2022, EDM for molecules, § 3).
/// </para>
/// </remarks>
public static class SymmetryFloor
{
    /// <summary>The largest K whose K! permutations are summed (6! · 2 = 1,440 group elements).</summary>
    public const int MaxPermutedPoints = 6;

    /// <summary>
    /// f* = P·∇log p_G at every cloud of <paramref name="x"/>, for G = O(3) (<paramref name="permutations"/> false) or
    /// O(3) × S_K (true).
    /// </summary>
    /// <param name="target">The exact law p₀ (its SO(3) invariance is assumed, not checked).</param>
    /// <param name="smoothing">The smoothing at which p is taken (p = p₀ under it).</param>
    /// <param name="x">Clouds, n × 3K (rows x₁, y₁, z₁, x₂, …).</param>
    /// <param name="permutations">True to average over the K! permutations of the points as well.</param>
    /// <returns>n × 3K, each cloud's f* with zero centre of mass.</returns>
    /// <exception cref="ArgumentException">d not a multiple of 3, or permutations with K &gt; <see cref="MaxPermutedPoints"/>.</exception>
    public static Points SymmetrisedScore(Mixture target, Smoothing smoothing, Points x, bool permutations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Dimension;
        if (d % 3 != 0) throw new ArgumentException($"a cloud row has 3K coordinates, got {d}", nameof(x));
        int k = d / 3;
        if (permutations && k > MaxPermutedPoints)
            throw new ArgumentException($"the K! permutations of K = {k} points are too many to sum (K ≤ {MaxPermutedPoints})", nameof(x));
        var group = Elements(k, permutations);
        int n = x.Count, m = group.Count;

        // Every transformed cloud g·X, m per cloud: (g·X)_j = J^e·X_{π(j)}.
        var moved = new double[checked(n * m * d)];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int g = 0; g < m; g++)
            {
                var (reflect, perm) = group[g];
                var y = moved.AsSpan((i * m + g) * d, d);
                for (int j = 0; j < k; j++)
                {
                    y[3 * j] = row[3 * perm[j]];
                    y[3 * j + 1] = row[3 * perm[j] + 1];
                    y[3 * j + 2] = reflect ? -row[3 * perm[j] + 2] : row[3 * perm[j] + 2];
                }
            }
        }
        var (logDensity, score) = target.LogDensityAndScore(new Points(moved, d), smoothing);

        var result = Points.Zeros(n, d);
        var w = new double[m];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int g = 0; g < m; g++) max = Math.Max(max, logDensity[i * m + g]);
            double total = 0;
            for (int g = 0; g < m; g++) total += w[g] = Math.Exp(logDensity[i * m + g] - max);
            var f = result[i];
            for (int g = 0; g < m; g++)
            {
                // ∇_X log p(g·X) = g⁻¹·s(g·X): the score at point j of g·X returns to point π(j), reflected back.
                var (reflect, perm) = group[g];
                var s = score.Row(i * m + g);
                double wg = w[g] / total;
                for (int j = 0; j < k; j++)
                {
                    f[3 * perm[j]] += wg * s[3 * j];
                    f[3 * perm[j] + 1] += wg * s[3 * j + 1];
                    f[3 * perm[j] + 2] += wg * (reflect ? -s[3 * j + 2] : s[3 * j + 2]);
                }
            }
            CentredGaussianCloudComponent.RemoveCentreOfMass(f);
        }
        return result;
    }

    /// <summary>
    /// The floor √(E‖f* − ∇log p‖² / E‖∇log p‖²) on the clouds of <paramref name="x"/> (draws of p), with its
    /// delta-method standard error (<see cref="ScoreError.Compute(Points, Points)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="SymmetrisedScore"/>, or fewer than 2 clouds.</exception>
    public static ScoreErrorResult Compute(Mixture target, Smoothing smoothing, Points x, bool permutations)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ScoreError.Compute(SymmetrisedScore(target, smoothing, x, permutations), target.Score(x, smoothing));
    }

    /// <summary>The coset representatives (reflection or not, permutation π as an index map) of O(3) [× S_K] modulo SO(3).</summary>
    static List<(bool Reflect, int[] Permutation)> Elements(int k, bool permutations)
    {
        var perms = new List<int[]>();
        if (permutations) Permute(Enumerable.Range(0, k).ToArray(), 0, perms);
        else perms.Add(Enumerable.Range(0, k).ToArray());
        var elements = new List<(bool, int[])>(2 * perms.Count);
        foreach (bool reflect in new[] { false, true })
            foreach (var p in perms) elements.Add((reflect, p));
        return elements;
    }

    static void Permute(int[] a, int start, List<int[]> into)
    {
        if (start == a.Length)
        {
            into.Add((int[])a.Clone());
            return;
        }
        for (int i = start; i < a.Length; i++)
        {
            (a[start], a[i]) = (a[i], a[start]);
            Permute(a, start + 1, into);
            (a[start], a[i]) = (a[i], a[start]);
        }
    }
}
