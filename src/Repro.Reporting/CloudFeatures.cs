using Repro.Core.Numerics;

namespace Repro.Reporting;

/// <summary>
/// Rotation-, translation- and permutation-invariant features of point clouds (rows of K·m coordinates x₁, y₁, z₁, x₂, …),
/// what the cloud figure compares: every pairwise distance ‖x_i − x_j‖ (i &lt; j) and the radius of gyration
/// R_g = √((1/K) Σ_k ‖x_k − c‖²) about the cloud's centre c.
/// </summary>
public static class CloudFeatures
{
    /// <summary>All K(K − 1)/2 pairwise distances of every cloud, cloud by cloud.</summary>
    /// <exception cref="ArgumentException">The row length is not K·m.</exception>
    public static double[] PairwiseDistances(Points clouds, int count, int space)
    {
        Check(clouds, count, space);
        var distances = new double[clouds.Count * count * (count - 1) / 2];
        int o = 0;
        for (int n = 0; n < clouds.Count; n++)
        {
            var x = clouds[n];
            for (int i = 0; i < count; i++)
                for (int j = i + 1; j < count; j++)
                {
                    double s = 0;
                    for (int c = 0; c < space; c++)
                    {
                        double e = x[i * space + c] - x[j * space + c];
                        s += e * e;
                    }
                    distances[o++] = Math.Sqrt(s);
                }
        }
        return distances;
    }

    /// <summary>The radius of gyration of every cloud.</summary>
    /// <exception cref="ArgumentException">The row length is not K·m.</exception>
    public static double[] RadiusOfGyration(Points clouds, int count, int space)
    {
        Check(clouds, count, space);
        var radii = new double[clouds.Count];
        var centre = new double[space];
        for (int n = 0; n < clouds.Count; n++)
        {
            var x = clouds[n];
            Array.Clear(centre);
            for (int k = 0; k < count; k++)
                for (int c = 0; c < space; c++) centre[c] += x[k * space + c] / count;
            double s = 0;
            for (int k = 0; k < count; k++)
                for (int c = 0; c < space; c++)
                {
                    double e = x[k * space + c] - centre[c];
                    s += e * e;
                }
            radii[n] = Math.Sqrt(s / count);
        }
        return radii;
    }

    /// <summary>
    /// A density histogram on shared bins: <paramref name="bins"/> equal bins over [lo, hi], each height count/(n·width), so
    /// the bars of every series have area 1 and series of different sizes compare.
    /// </summary>
    public static double[] Density(IReadOnlyList<double> values, double lo, double hi, int bins)
    {
        var heights = new double[bins];
        if (values.Count == 0) return heights;
        double width = (hi - lo) / bins;
        foreach (double v in values)
        {
            if (!(v >= lo && v <= hi)) continue;
            int b = Math.Min(bins - 1, (int)((v - lo) / width));
            heights[b]++;
        }
        for (int b = 0; b < bins; b++) heights[b] /= values.Count * width;
        return heights;
    }

    static void Check(Points clouds, int count, int space)
    {
        ArgumentNullException.ThrowIfNull(clouds);
        if (count < 2 || space < 1 || clouds.Dimension != count * space)
            throw new ArgumentException($"clouds of {count} points in R^{space} have {count * space} coordinates, not d = {clouds.Dimension}", nameof(clouds));
    }
}
