using Repro.Core.Numerics;

namespace Repro.Runs;

/// <summary>The grid on which score fields are drawn: where the data are, widened by 2σ.</summary>
public static class ScoreGrid
{
    /// <summary>
    /// 241 points along the axis (d = 1) or a 25 × 25 grid over the first two coordinates (d ≥ 2,
    /// the others at the middle of their range), spanning the 0.2%–99.8% quantiles of each
    /// coordinate of <paramref name="data"/> widened by 2σ. Rows run fastest along x1.
    /// </summary>
    public static (Points Grid, int Side) Build(Points data, double sigma)
    {
        int d = data.Dimension, side = d == 1 ? 241 : 25;
        var lo = new double[d];
        var hi = new double[d];
        for (int k = 0; k < d; k++)
        {
            var c = data.Column(k);
            Array.Sort(c);
            lo[k] = c[(int)(0.002 * (c.Length - 1))] - 2 * sigma;
            hi[k] = c[(int)(0.998 * (c.Length - 1))] + 2 * sigma;
        }
        int count = d == 1 ? side : side * side;
        var grid = Points.Zeros(count, d);
        for (int i = 0; i < count; i++)
        {
            grid.Data[i * d] = lo[0] + (hi[0] - lo[0]) * (i % side) / (side - 1);
            if (d > 1) grid.Data[i * d + 1] = lo[1] + (hi[1] - lo[1]) * (i / side) / (side - 1);
            for (int k = 2; k < d; k++) grid.Data[i * d + k] = (lo[k] + hi[k]) / 2;
        }
        return (grid, side);
    }
}
