using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Reporting;

/// <summary>
/// One mixture component as a sample shows it: the points assigned to it (most responsible
/// component under the law compared with), their share, mean and covariance, beside the exact
/// component's mean and covariance under the same smoothing.
/// </summary>
/// <param name="Component">0-based component index.</param>
/// <param name="Share">Fraction of the points assigned to it.</param>
/// <param name="Count">Number of points assigned to it.</param>
/// <param name="Mean">Sample mean of its points (length d).</param>
/// <param name="Covariance">Sample covariance of its points (d × d row-major, ddof = 1).</param>
/// <param name="ExactMean">The component's exact mean.</param>
/// <param name="ExactCovariance">The component's exact covariance under the smoothing.</param>
public sealed record ComponentShape(int Component, double Share, int Count, double[] Mean, double[] Covariance, double[] ExactMean, double[] ExactCovariance)
{
    /// <summary>‖mean − exact mean‖₂: the cluster's location error.</summary>
    public double LocationError => Math.Sqrt(Mean.Zip(ExactMean).Sum(p => (p.First - p.Second) * (p.First - p.Second)));

    /// <summary>Slope dy/dx of the principal axis of a 2D covariance (NaN in other dimensions).</summary>
    public static double PrincipalSlope(double[] c)
    {
        if (c.Length != 4) return double.NaN;
        // Principal axis angle of [[a, b], [b, d]]: ½·atan2(2b, a − d).
        double angle = 0.5 * Math.Atan2(2 * c[1], c[0] - c[3]);
        return Math.Tan(angle);
    }

    /// <summary>Standard deviation across the principal axis of a 2D covariance: √(smaller eigenvalue).</summary>
    public static double MinorSd(double[] c)
    {
        if (c.Length != 4) return double.NaN;
        double mean = (c[0] + c[3]) / 2, half = Math.Sqrt((c[0] - c[3]) * (c[0] - c[3]) / 4 + c[1] * c[1]);
        return Math.Sqrt(Math.Max(0, mean - half));
    }

    /// <summary>The components of <paramref name="target"/> as <paramref name="x"/> shows them under <paramref name="smoothing"/>.</summary>
    public static IReadOnlyList<ComponentShape> Of(Mixture target, Points x, Smoothing smoothing)
    {
        int d = x.Dimension, m = target.Components.Count;
        int[] assigned = ModeWeights.Assign(target.Responsibilities(x, smoothing));
        var shapes = new List<ComponentShape>();
        for (int k = 0; k < m; k++)
        {
            var rows = Enumerable.Range(0, x.Count).Where(i => assigned[i] == k).ToArray();
            var mean = new double[d];
            var cov = new double[d * d];
            foreach (int i in rows)
                for (int a = 0; a < d; a++) mean[a] += x.Data[i * d + a] / rows.Length;
            foreach (int i in rows)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                        cov[a * d + b] += (x.Data[i * d + a] - mean[a]) * (x.Data[i * d + b] - mean[b]) / Math.Max(1, rows.Length - 1);
            shapes.Add(new ComponentShape(k, rows.Length / (double)x.Count, rows.Length, mean, cov,
                target.Components[k].Mean(smoothing), target.Components[k].Covariance(smoothing)));
        }
        return shapes;
    }
}
