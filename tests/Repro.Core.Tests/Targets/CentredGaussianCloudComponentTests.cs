using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Targets;

public sealed class CentredGaussianCloudComponentTests
{
    static readonly RandomStream Root = new RandomStream(16).Child("gaussian-cloud");

    /// <summary>n draws of the smoothed law a·X₀ + σ·P·ε, the noise projected like the component declares.</summary>
    static Points SmoothedSample(CentredGaussianCloudComponent c, int n, Smoothing s, RandomStream rng)
    {
        var x = TargetAssert.SampleComponent(c, n, rng.Child("x0"));
        var eps = rng.Child("eps");
        var noise = new double[c.Dimension];
        for (int i = 0; i < n; i++)
        {
            eps.FillGaussian(noise);
            CentredGaussianCloudComponent.RemoveCentreOfMass(noise);
            for (int j = 0; j < noise.Length; j++) x[i][j] = s.Scale * x[i][j] + s.Sigma * noise[j];
        }
        return x;
    }

    [Fact]
    public void Log_density_is_the_Gaussian_on_the_subspace_in_Helmert_coordinates()
    {
        // An orthonormal basis of the zero-mean subspace of R^K (Helmert): h_m = (1, …, 1, −m, 0, …)/√(m(m+1)).
        // y = coordinates of X in that basis per axis; log p = log N(y; 0, v I) in (K − 1)·3 dimensions.
        const int k = 5;
        var cloud = new CentredGaussianCloudComponent(k, 0.7);
        var rng = Root.Child("helmert");
        foreach (var s in TargetAssert.Smoothings)
        {
            double v = s.Scale * s.Scale * 0.7 + s.Sigma * s.Sigma;
            var x = new double[3 * k];
            rng.FillGaussian(x);
            for (int j = 0; j < x.Length; j++) x[j] += 3.0;  // off the subspace: only P·X counts
            double expected = 0;
            for (int m = 1; m < k; m++)
                for (int axis = 0; axis < 3; axis++)
                {
                    double y = 0;
                    for (int i = 0; i < m; i++) y += x[3 * i + axis];
                    y = (y - m * x[3 * m + axis]) / Math.Sqrt(m * (m + 1.0));
                    expected += -y * y / (2 * v) - 0.5 * Math.Log(2 * Math.PI * v);
                }
            Assert.Equal(expected, cloud.LogDensity(x, s, Span<double>.Empty), 11);
        }
    }

    [Fact]
    public void Score_matches_finite_difference_and_has_no_centre_of_mass_component()
    {
        var rng = Root.Child("fd");
        foreach (int k in new[] { 2, 4, 21 })
        {
            var cloud = new CentredGaussianCloudComponent(k, 1.3);
            foreach (var s in TargetAssert.Smoothings)
            {
                var x = new double[3 * k];
                rng.FillGaussian(x);
                x[0] += 5;
                var score = new double[3 * k];
                cloud.LogDensity(x, s, score);
                TargetAssert.ComponentScoreMatchesFiniteDifference(cloud, x, s, $"K = {k}, {s}");
                for (int axis = 0; axis < 3; axis++)
                {
                    double sum = 0;
                    for (int i = 0; i < k; i++) sum += score[3 * i + axis];
                    Assert.True(Math.Abs(sum) < 1e-12 * k * (1 + Math.Abs(score[axis])), $"centre of mass of the score, axis {axis}: {sum}");
                }
            }
        }
    }

    [Fact]
    public void Samples_are_centred_and_match_the_moments_the_marginal_CDF_and_the_degrees_of_freedom()
    {
        const int k = 4;
        var cloud = new CentredGaussianCloudComponent(k, 0.5);
        foreach (var s in new[] { Smoothing.None, Smoothing.Gaussian(0.5), new Smoothing(0.8, 0.6) })
        {
            var x = SmoothedSample(cloud, 20_000, s, Root.Child($"samples {s}"));
            for (int i = 0; i < 100; i++)
                for (int axis = 0; axis < 3; axis++)
                {
                    double com = 0;
                    for (int p = 0; p < k; p++) com += x[i][3 * p + axis];
                    Assert.True(Math.Abs(com) < 1e-12, $"row {i} centre of mass {com}");
                }
            TargetAssert.MomentsMatchSample(cloud.Mean(s), cloud.Covariance(s), x);
            TargetAssert.MarginalCdfMatchesSample(v => cloud.MarginalCdf(4, v, s), x.Column(4), $"coordinate 4 at {s}");
            // ‖X‖²/v is χ² with (K − 1)·3 degrees of freedom: mean 9, variance 18.
            double vv = s.Scale * s.Scale * 0.5 + s.Sigma * s.Sigma, mean = 0;
            for (int i = 0; i < x.Count; i++)
            {
                double q = 0;
                foreach (double c in x.Row(i)) q += c * c;
                mean += q / vv / x.Count;
            }
            Assert.True(Math.Abs(mean - cloud.DegreesOfFreedom) < 5 * Math.Sqrt(2.0 * cloud.DegreesOfFreedom / x.Count), $"E‖X‖²/v = {mean}");
            var score = Points.Zeros(x.Count, x.Dimension);
            for (int i = 0; i < x.Count; i++) cloud.LogDensity(x.Row(i), s, score[i]);
            // Stein on the subspace: E[∇log p · X] = −(K − 1)·3.
            double stein = 0;
            for (int i = 0; i < x.Data.Length; i++) stein += score.Data[i] * x.Data[i] / x.Count;
            Assert.True(Math.Abs(stein + cloud.DegreesOfFreedom) < 5 * Math.Sqrt(2.0 * cloud.DegreesOfFreedom / x.Count), $"Stein: {stein}");
        }
    }

    [Fact]
    public void Score_stays_exact_far_out()
    {
        // −P·X/v to |X| = 1e300; log p underflows to −∞ there, the score does not.
        var cloud = new CentredGaussianCloudComponent(21, 0.01);
        var rng = Root.Child("far");
        foreach (double scale in new[] { 1e10, 1e100, 1e300 })
        {
            var x = new double[63];
            rng.FillGaussian(x);
            for (int j = 0; j < x.Length; j++) x[j] *= scale;
            var centred = (double[])x.Clone();
            CentredGaussianCloudComponent.RemoveCentreOfMass(centred);
            var score = new double[63];
            cloud.LogDensity(x, Smoothing.None, score);
            for (int j = 0; j < 63; j++) Assert.Equal(-centred[j] / 0.01, score[j], Math.Abs(centred[j] / 0.01) * 1e-15);
        }
    }

    [Fact]
    public void Small_sigma_recovers_p0()
    {
        var cloud = new CentredGaussianCloudComponent(3, 1.0);
        double[] x = [0.3, -1, 0.2, 1.1, 0.4, -0.5, -1.4, 0.6, 0.3];
        var s0 = new double[9];
        var s1 = new double[9];
        double l0 = cloud.LogDensity(x, Smoothing.None, s0), l1 = cloud.LogDensity(x, Smoothing.Gaussian(1e-5), s1);
        Assert.True(Math.Abs(l1 - l0) < 1e-8);
        for (int j = 0; j < 9; j++) Assert.True(Math.Abs(s1[j] - s0[j]) < 1e-8);
    }

    [Fact]
    public void Invalid_parameters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CentredGaussianCloudComponent(1, 1.0));
        Assert.Throws<ArgumentException>(() => new CentredGaussianCloudComponent(3, 0));
        Assert.Throws<ArgumentException>(() => new CentredGaussianCloudComponent(3, 1).LogDensity(new double[9], new Smoothing(0, 0), Span<double>.Empty));
        Assert.Throws<ArgumentException>(() => CentredGaussianCloudComponent.RemoveCentreOfMass(new double[4]));
    }
}
