using Repro.Reporting;
using ScottPlot;

namespace Repro.Reporting.Tests;

/// <summary>The quality-against-evaluations figure draws what its caption says: log–log, exact dashed, the null line.</summary>
public sealed class StepLadderFigureTests
{
    static Estimate[] Ks(params double[][] perRung) => perRung.Select(Estimate.Of).ToArray();

    [Fact]
    public void Each_line_is_the_log_of_its_mean_KS_against_the_log_of_its_evaluations_with_the_exact_score_dashed()
    {
        var learned = new StepLadderFigure.Series("reverse-sde", "reverse-sde", false, [9, 17, 251], Ks([0.6, 0.7], [0.1, 0.12], [0.03, 0.02]));
        var exact = new StepLadderFigure.Series("reverse-sde-exact", "reverse-sde", true, [9, 17, 251], Ks([0.3, 0.32], [0.05, 0.06], [0.02, 0.021]));

        var plot = StepLadderFigure.Plot([learned, exact], 0.016, "two blobs");

        var lines = plot.GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(2, lines.Length);
        for (int l = 0; l < 2; l++)
        {
            var series = l == 0 ? learned : exact;
            var points = lines[l].Data.GetScatterPoints();
            Assert.Equal(series.Evaluations.Select(Math.Log10), points.Select(p => p.X));
            Assert.Equal(series.Ks.Select(k => Math.Log10(k.Mean)), points.Select(p => p.Y));
        }
        Assert.Equal(LinePattern.Solid, lines[0].LinePattern);
        Assert.Equal(LinePattern.Dashed, lines[1].LinePattern);
        Assert.Equal(lines[0].Color, lines[1].Color); // one colour per sampler
        var floor = Assert.Single(plot.GetPlottables<ScottPlot.Plottables.HorizontalLine>());
        Assert.Equal(Math.Log10(0.016), floor.Y);
    }

    [Fact]
    public void Log_ticks_sit_at_the_log_of_their_labelled_values()
    {
        var ticks = StepLadderFigure.LogTicks(Math.Log10(3), Math.Log10(900), [1, 2, 5]).ToArray();

        Assert.Equal(["5", "10", "20", "50", "100", "200", "500", "1000"], ticks.Select(t => t.Label));
        Assert.All(ticks, t => Assert.Equal(Math.Log10(double.Parse(t.Label, System.Globalization.CultureInfo.InvariantCulture)), t.Position, 12));
        Assert.Equal(["10", "100", "1000"], ticks.Where(t => t.IsMajor).Select(t => t.Label));
    }
}
