using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

/// <summary>
/// e(σ) against a closed form: for p₀ = N(0, s²I) and the source s(x, σ) = −x/(v² + σ²) (the exact score of
/// N(0, v²I)), the residual is x·(1/(s² + σ²) − 1/(v² + σ²)) and the truth −x/(s² + σ²), so the ratio of the
/// sums is ((s² + σ²)/(v² + σ²) − 1)² for every sample, not only in expectation.
/// </summary>
public sealed class ScoreErrorProfileTests
{
    [Fact]
    public void The_profile_of_a_gaussian_score_of_the_wrong_scale_is_its_closed_form_at_every_level()
    {
        double s2 = 2.0, v2 = 1.0;
        var target = new Mixture([1.0], [new GaussianComponent([0.0, 0.0], [s2, 0, 0, s2])]);
        var wrong = new ExactScore(new Mixture([1.0], [new GaussianComponent([0.0, 0.0], [v2, 0, 0, v2])]), 0.5);
        var law = new ReferenceLaw(target, Smoothing.None, target.Sample(300, new RandomStream(1)));

        var rows = new ScoreErrorProfileMetric().Compute(wrong, law, new MetricSettings(1, 1, 1, 1), new RandomStream(2)).ToDictionary(r => r.Metric, r => r.Value);

        double[] grid = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];
        var expected = grid.Select(g => Math.Pow((s2 + g * g) / (v2 + g * g) - 1, 2)).ToArray();
        for (int k = 0; k < grid.Length; k++)
            Assert.Equal(expected[k], rows[$"score-error-at-{k + 1}"], expected[k] * 1e-12);
        double integral = 0;
        for (int k = 1; k < grid.Length; k++) integral += (expected[k] + expected[k - 1]) / 2 * Math.Log(grid[k] / grid[k - 1]);
        Assert.Equal(integral / Math.Log(2000), rows["score-error-integral"], 1e-12);
        Assert.Equal(expected.Max(), rows["score-error-worst"], 1e-12);
        // The sampler levels σ ≥ 0.05: grid levels 3 to 11.
        double sampled = 0;
        for (int k = 3; k < grid.Length; k++) sampled += (expected[k] + expected[k - 1]) / 2 * Math.Log(grid[k] / grid[k - 1]);
        Assert.Equal(sampled / Math.Log(20 / 0.05), rows["score-error-integral-sampler-levels"], 1e-12);
        Assert.Equal(expected.Skip(2).Max(), rows["score-error-worst-sampler-levels"], 1e-12);
        Assert.Equal(15, rows.Count);
    }

    [Fact]
    public void A_single_sigma_source_is_skipped_with_its_reason()
    {
        var target = new Mixture([1.0], [new GaussianComponent([0.0], [1.0])]);
        var law = new ReferenceLaw(target, Smoothing.None, target.Sample(50, new RandomStream(1)));
        var skipped = new List<(IMetric Metric, string Reason)>();

        var rows = MetricCatalog.Default.ScoreSource(new SingleSigma(), law, new MetricSettings(1, 1, 1, 1), new RandomStream(2), skipped);

        Assert.DoesNotContain(rows, r => r.Metric.StartsWith("score-error-at-", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Metric.Kind == ScoreErrorProfileMetric.KindName && s.Reason.Contains("one σ", StringComparison.Ordinal));
    }

    sealed class SingleSigma : IScoreSource
    {
        public int Dimension => 1;

        public double Sigma => 0.5;

        public bool IsNoiseConditional => false;

        public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
        {
            if (sigma != Sigma) throw new InvalidOperationException("single σ");
            for (int i = 0; i < x.Length; i++) score[i] = -x[i];
        }
    }
}
