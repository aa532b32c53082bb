using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Sampling;

/// <summary>The centre-of-mass drift against hand computations and a Langevin run whose drift is known in closed form.</summary>
public sealed class CentreOfMassDriftTests
{
    [Fact]
    public void Relative_drift_is_the_centre_norm_over_the_rms_radius_about_it()
    {
        // Two points (0, 0, 0) and (2, 0, 0) shifted by (0, 3, 4): centre (1, 3, 4), ‖c‖ = √26, r = 1.
        var drift = new CentreOfMassDrift(2, 3);

        Assert.Equal(Math.Sqrt(26), drift.Relative([0, 3, 4, 2, 3, 4]), 14);
        Assert.Equal(0, drift.Relative([-1, 0, 0, 1, 0, 0]));
        Assert.Equal(double.PositiveInfinity, drift.Relative([1, 1, 1, 1, 1, 1]));
        Assert.Throws<ArgumentException>(() => drift.Relative([1, 2, 3]));
    }

    /// <summary>A score that pushes every point by c along x: each step moves the centre by (η/2)·c, the noise (projected) never.</summary>
    sealed class ConstantPush(int dimension, double c) : IScoreSource
    {
        public int Dimension => dimension;
        public double Sigma => 0.5;
        public bool IsNoiseConditional => false;
        public void Score(ReadOnlySpan<double> x, double sigma, Span<double> score)
        {
            for (int i = 0; i < score.Length; i++) score[i] = i % 3 == 0 ? c : 0;
        }
    }

    [Fact]
    public void Langevin_with_projected_noise_keeps_the_exact_score_on_the_subspace_and_a_pushing_score_drifts_by_its_step()
    {
        var cloud = new Mixture([1.0], [new CentredGaussianCloudComponent(4, 1.0)]);
        const int steps = 50;
        const double eta = 0.01;
        var start = cloud.Sample(64, new RandomStream(5).Child("start"));
        double Run(IScoreSource score)
        {
            var x = start.Clone();
            var drift = new CentreOfMassDrift(4, 3);
            var noise = new CounterNoise(new RandomStream(5).Child("noise")) { Projection = cloud.ConstrainNoise };
            new UnadjustedLangevin(eta, steps).Run(score, x, 0, noise, drift.Observer());
            return drift.Max;
        }

        double exact = Run(new ExactScore(cloud, 0.5));
        double pushed = Run(new ConstantPush(12, 2.0));

        Assert.InRange(exact, 0, 1e-13);
        // The centre moves (η/2)·c per step, (η/2)·c·steps = 0.5 along x by the end; the projected noise never moves it.
        var end = start.Clone();
        new UnadjustedLangevin(eta, steps).Run(new ConstantPush(12, 2.0), end, 0,
            new CounterNoise(new RandomStream(5).Child("noise")) { Projection = cloud.ConstrainNoise }, null);
        for (int i = 0; i < end.Count; i++)
        {
            double cx = 0, cy = 0;
            for (int k = 0; k < 4; k++) (cx, cy) = (cx + end[i][3 * k] / 4, cy + end[i][3 * k + 1] / 4);
            Assert.Equal(0.5, cx, 12);
            Assert.Equal(0, cy, 12);
        }
        // The run's largest ratio is at least every end cloud's 0.5 / r (the maximum runs over every step).
        double atEnd = Enumerable.Range(0, end.Count).Max(i => new CentreOfMassDrift(4, 3).Relative(end[i]));
        Assert.True(pushed >= atEnd - 1e-12, $"{pushed} < {atEnd}");
        Assert.InRange(atEnd, 0.1, 10);
    }
}
