using MathNet.Numerics.LinearAlgebra;
using Repro.Core.Numerics;

namespace Repro.Core.Metrics;

/// <summary>
/// Rotation-invariant features of clouds of K points in R³ (a row of 3K coordinates x₁, y₁, z₁, x₂, …), read as a
/// chain in row order (a protein's Cα trace): neighbour spacings, pairwise distances, radius of gyration, steric
/// clashes, and the RMSD after optimal superposition (Kabsch 1976). Units are the data's (Å for a Cα trace).
/// </summary>
public static class ConformerGeometry
{
    /// <summary>
    /// The default clash distance, 3 Å: two Cα atoms that are not chain neighbours are never closer than about 3.8 Å in
    /// a folded protein (the closest non-bonded Cα contacts), so a pair below 3 Å is a steric clash.
    /// </summary>
    public const double ClashDistance = 3.0;

    /// <summary>The K − 1 distances ‖x_{k+1} − x_k‖ between chain neighbours of one cloud (row of 3K).</summary>
    public static double[] NeighbourSpacings(ReadOnlySpan<double> cloud)
    {
        int k = Points(cloud);
        var d = new double[k - 1];
        for (int i = 0; i + 1 < k; i++) d[i] = Distance(cloud, i, i + 1);
        return d;
    }

    /// <summary>The K(K − 1)/2 distances ‖x_i − x_j‖, i &lt; j, in row order (i outer): <c>scipy.spatial.distance.pdist</c>'s order.</summary>
    public static double[] PairwiseDistances(ReadOnlySpan<double> cloud)
    {
        int k = Points(cloud);
        var d = new double[k * (k - 1) / 2];
        int o = 0;
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++) d[o++] = Distance(cloud, i, j);
        return d;
    }

    /// <summary>R_g = √((1/K) Σ_k ‖x_k − x̄‖²), the RMS distance of the points from their centre.</summary>
    public static double RadiusOfGyration(ReadOnlySpan<double> cloud)
    {
        int k = Points(cloud);
        double sum = 0;
        for (int axis = 0; axis < 3; axis++)
        {
            double mean = 0;
            for (int i = 0; i < k; i++) mean += cloud[3 * i + axis];
            mean /= k;
            for (int i = 0; i < k; i++) sum += (cloud[3 * i + axis] - mean) * (cloud[3 * i + axis] - mean);
        }
        return Math.Sqrt(sum / k);
    }

    /// <summary>Number of pairs (i, j) with |i − j| ≥ 2 (not chain neighbours) closer than <paramref name="cutoff"/>.</summary>
    public static int Clashes(ReadOnlySpan<double> cloud, double cutoff)
    {
        int k = Points(cloud), count = 0;
        for (int i = 0; i < k; i++)
            for (int j = i + 2; j < k; j++)
                if (Distance(cloud, i, j) < cutoff) count++;
        return count;
    }

    /// <summary>
    /// The RMSD of two clouds after removing each one's centre and superposing them by the best proper rotation
    /// (Kabsch 1976), √(min_R (1/K) Σ_k ‖(a_k − ā) − R(b_k − b̄)‖²), and whether the best orthogonal map (rotation or
    /// reflection) is improper, i.e. <paramref name="a"/> is closer to the mirror image of <paramref name="b"/> than to
    /// <paramref name="b"/>. From the SVD H = Σ_k (a_k − ā)(b_k − b̄)ᵀ = U S Vᵀ: min over proper R of Σ‖·‖² is
    /// ‖a‖² + ‖b‖² − 2(s₁ + s₂ + sign(det H)·s₃); over improper R the sign of s₃ flips, so the mirror image is closer
    /// exactly when det H &lt; 0. The closed form cancels: RMSDs below about √ε·R_g (1e-7 Å for ubiquitin) are rounding.
    /// </summary>
    /// <exception cref="ArgumentException">Rows of different lengths, or not 3K with K ≥ 1.</exception>
    public static (double Rmsd, bool MirrorCloser) Superposed(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"clouds of {a.Length} and {b.Length} coordinates");
        int k = Points(a);
        Span<double> ca = stackalloc double[3], cb = stackalloc double[3];
        for (int i = 0; i < k; i++)
            for (int axis = 0; axis < 3; axis++)
            {
                ca[axis] += a[3 * i + axis] / k;
                cb[axis] += b[3 * i + axis] / k;
            }
        var h = new double[3, 3];
        double a2 = 0, b2 = 0;
        for (int i = 0; i < k; i++)
            for (int p = 0; p < 3; p++)
            {
                double ap = a[3 * i + p] - ca[p];
                a2 += ap * ap;
                double bp = b[3 * i + p] - cb[p];
                b2 += bp * bp;
                for (int q = 0; q < 3; q++) h[p, q] += ap * (b[3 * i + q] - cb[q]);
            }
        var m = Matrix<double>.Build.DenseOfArray(h);
        var s = m.Svd(computeVectors: false).S;
        double det = m.Determinant();
        double sign = det < 0 ? -1 : 1;
        double sum = a2 + b2 - 2 * (s[0] + s[1] + sign * s[2]);
        return (Math.Sqrt(Math.Max(sum, 0) / k), det < 0);
    }

    /// <summary>
    /// For each row of <paramref name="clouds"/>, the Kabsch RMSD to its nearest row of <paramref name="training"/>, and
    /// whether its nearest training conformer under all orthogonal maps is reached by a reflection (the row is a mirror
    /// image of the training conformer it resembles most).
    /// </summary>
    public static (double[] Nearest, bool[] Mirrored) NearestTraining(Points clouds, Points training)
    {
        ArgumentNullException.ThrowIfNull(clouds);
        ArgumentNullException.ThrowIfNull(training);
        var nearest = new double[clouds.Count];
        var mirrored = new bool[clouds.Count];
        for (int i = 0; i < clouds.Count; i++)
        {
            double best = double.PositiveInfinity, bestAny = double.PositiveInfinity;
            bool mirror = false;
            for (int j = 0; j < training.Count; j++)
            {
                var (rmsd, closer) = Superposed(clouds.Row(i), training.Row(j));
                best = Math.Min(best, rmsd);
                // The mirror image's RMSD replaces s₃'s sign: with the same a², b², s₁, s₂ it is below rmsd exactly when closer.
                double any = closer ? MirrorRmsd(clouds.Row(i), training.Row(j)) : rmsd;
                if (any < bestAny)
                {
                    bestAny = any;
                    mirror = closer;
                }
            }
            nearest[i] = best;
            mirrored[i] = mirror;
        }
        return (nearest, mirrored);
    }

    /// <summary>The Kabsch RMSD of <paramref name="a"/> to the mirror image (x, y, −z) of <paramref name="b"/>.</summary>
    public static double MirrorRmsd(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var mirror = b.ToArray();
        for (int i = 2; i < mirror.Length; i += 3) mirror[i] = -mirror[i];
        return Superposed(a, mirror).Rmsd;
    }

    static int Points(ReadOnlySpan<double> cloud)
    {
        if (cloud.Length == 0 || cloud.Length % 3 != 0) throw new ArgumentException($"a cloud row has 3K coordinates, got {cloud.Length}");
        return cloud.Length / 3;
    }

    static double Distance(ReadOnlySpan<double> cloud, int i, int j)
    {
        double dx = cloud[3 * i] - cloud[3 * j], dy = cloud[3 * i + 1] - cloud[3 * j + 1], dz = cloud[3 * i + 2] - cloud[3 * j + 2];
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }
}
