using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

/// <summary>Δ log p of each component kind (closed forms) against central differences of its exact score.</summary>
public sealed class LaplacianTests
{
    static double FiniteDifference(IComponent c, double[] x, Smoothing s)
    {
        int d = x.Length;
        double sum = 0;
        var plus = new double[d];
        var minus = new double[d];
        for (int k = 0; k < d; k++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(x[k]));
            var xp = (double[])x.Clone();
            var xm = (double[])x.Clone();
            xp[k] += h;
            xm[k] -= h;
            c.LogDensity(xp, s, plus);
            c.LogDensity(xm, s, minus);
            sum += (plus[k] - minus[k]) / (2 * h);
        }
        return sum;
    }

    public static TheoryData<string, double, double, double, double> Cases() => new()
    {
        { "gaussian", 1, 0, 0.3, -0.2 },
        { "gaussian", 0.6, 0.8, 1.5, 2.0 },
        { "segment", 1, 0.3, 2.0, -4.0 },
        { "segment", 0.7, 0.05, 3.5, -3.1 },
        { "segment", 1, 0, 4.0, -3.3 },
        { "segment", 0.9, 2.5, -1.0, 1.0 },
        { "segment", 0, 1.5, -1.0, 1.0 },
        { "empirical", 1, 0.4, 0.2, 0.1 },
        { "empirical", 0.5, 1.2, -2.0, 0.5 },
    };

    static IComponent Make(string kind) => kind switch
    {
        "gaussian" => new GaussianComponent([1, -1], [2.0, 0.6, 0.6, 0.5]),
        "segment" => new NoisySegmentComponent(0, 10, 0.4, -5, 0.2),
        _ => new EmpiricalComponent(new Mixture([1.0], [new GaussianComponent([0, 0], [1, 0, 0, 1])]).Sample(40, new RandomStream(7))),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Closed_form_Laplacian_matches_central_differences_of_the_score(string kind, double a, double sigma, double x, double y)
    {
        var c = Make(kind);
        var s = new Smoothing(a, sigma);

        double closed = c.LaplacianOfLogDensity([x, y], s);
        double numeric = FiniteDifference(c, [x, y], s);

        Assert.True(Math.Abs(closed - numeric) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"{kind} a={a} σ={sigma}: {closed:R} vs {numeric:R}");
    }

    /// <summary>A component without a closed form: only LogDensity is its own, so the interface's default applies.</summary>
    sealed class Opaque(IComponent inner) : IComponent
    {
        public int Dimension => inner.Dimension;
        public void Sample(RandomStream rng, Span<double> x) => inner.Sample(rng, x);
        public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score) => inner.LogDensity(x, smoothing, score);
        public double[] Mean(Smoothing smoothing) => inner.Mean(smoothing);
        public double[] Covariance(Smoothing smoothing) => inner.Covariance(smoothing);
        public double MarginalCdf(int coordinate, double value, Smoothing smoothing) => inner.MarginalCdf(coordinate, value, smoothing);
    }

    [Fact]
    public void The_default_Laplacian_of_a_kind_without_a_closed_form_is_the_finite_difference_one()
    {
        var gaussian = new GaussianComponent([1, -1], [2.0, 0.6, 0.6, 0.5]);
        IComponent opaque = new Opaque(gaussian);
        var s = new Smoothing(0.8, 0.5);

        Assert.Equal(gaussian.LaplacianOfLogDensity([0.3, 0.4], s), opaque.LaplacianOfLogDensity([0.3, 0.4], s), 1e-6);
    }

    [Fact]
    public void Mixture_divergence_matches_central_differences_of_the_mixture_score()
    {
        var target = new Mixture([0.3, 0.7], [new GaussianComponent([-2, 0], [1, 0, 0, 1]), new NoisySegmentComponent(0, 10, 0.4, -5, 0.2)]);
        var x = new Points([-0.5, -1.0, 3.0, -3.5, 1.0, 2.0], 2);
        var s = new Smoothing(0.9, 0.6);

        double[] divergence = ScoreDivergence.Of(target, x, s);

        for (int i = 0; i < x.Count; i++)
        {
            double sum = 0, h = 1e-5;
            for (int k = 0; k < 2; k++)
            {
                var plus = x.Row(i).ToArray();
                var minus = x.Row(i).ToArray();
                plus[k] += h;
                minus[k] -= h;
                sum += (target.Score(new Points(plus, 2), s).Data[k] - target.Score(new Points(minus, 2), s).Data[k]) / (2 * h);
            }
            Assert.True(Math.Abs(sum - divergence[i]) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"point {i}: {divergence[i]:R} vs {sum:R}");
        }
    }
}
