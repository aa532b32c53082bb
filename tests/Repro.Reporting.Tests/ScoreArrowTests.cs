using Repro.Core.Numerics;
using ScottPlot;
using SkiaSharp;

namespace Repro.Reporting.Tests;

/// <summary>
/// The score-field arrows point where the vectors do, read back from the PNG's pixels: a figure with
/// a reversed component (ScottPlot issue #5172 flips y) cannot pass.
/// </summary>
public class ScoreArrowTests
{
    /// <summary>
    /// Renders one arrow (u, v) rooted at the origin of a square plot and returns, in pixels along the
    /// data vector's direction on the page (up the y axis positive), the mean position of the
    /// arrowhead and the arrow's whole extent. The head is told apart from the shaft by its distance
    /// across the arrow's line: the shaft is a 2 px line on that line, the head's barbs reach out.
    /// </summary>
    static (double Head, double Extent) Arrow(double u, double v)
    {
        var plot = new Plot();
        plot.Axes.SetLimits(-1, 1, -1, 1);
        Plots.AddArrows(plot, new Points([0, 0], 2), new Points([u, v], 2), Colors.Red);
        plot.HideGrid();
        byte[] png = plot.GetImageBytes(400, 400, ImageFormat.Png);
        var root = plot.GetPixel(new Coordinates(0, 0));
        using var bitmap = SKBitmap.Decode(png);

        // Unit direction of the data vector on the page: pixel y grows downward, data y upward.
        double len = Math.Sqrt(u * u + v * v), ex = u / len, ey = -v / len;
        var along = new List<double>();
        var head = new List<double>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 180 || c.Green > 90 || c.Blue > 90) continue;
                double dx = x - root.X, dy = y - root.Y;
                double a = dx * ex + dy * ey, across = Math.Abs(-dx * ey + dy * ex);
                along.Add(a);
                if (across > 3) head.Add(a);
            }
        Assert.True(along.Count > 20, $"the arrow is drawn ({along.Count} red pixels)");
        Assert.True(head.Count > 4, $"the arrowhead is drawn ({head.Count} red pixels off the shaft)");
        return (head.Average(), along.Max() - along.Min());
    }

    [Fact]
    public void Arrow_of_an_upward_vector_has_its_head_above_its_root()
    {
        // For (0, 1), "along" is up the page: a head above the root is positive.
        var (along, extent) = Arrow(0, 1);
        Assert.True(extent > 10, $"the arrow has length on the page ({extent} px)");
        Assert.True(along > 0, $"the arrowhead lies {along} px along (0, 1) from its root: it must lie above it");
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    [InlineData(-1, 0)]
    [InlineData(1, 1)]
    [InlineData(-0.5, -2)]
    public void Arrow_head_lies_along_the_vector_from_its_root(double u, double v)
    {
        var (along, _) = Arrow(u, v);
        Assert.True(along > 0, $"the arrowhead of ({u}, {v}) lies {along} px along the vector from its root");
    }
}
