using Repro.Core.Geometry;
using Repro.Core.Metrics;
using Repro.Core.Random;

namespace Repro.Core.Tests.Geometry;

public sealed class HaarRotationTests
{
    const int Draws = 20_000;

    [Fact]
    public void Every_draw_is_a_proper_rotation()
    {
        var rng = new RandomStream(7).Child("haar");
        var r = new double[9];
        for (int t = 0; t < 1000; t++)
        {
            HaarRotation.Sample(rng, r);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    double dot = r[i * 3] * r[j * 3] + r[i * 3 + 1] * r[j * 3 + 1] + r[i * 3 + 2] * r[j * 3 + 2];
                    Assert.True(Math.Abs(dot - (i == j ? 1 : 0)) < 1e-12, $"R Rᵀ[{i},{j}] = {dot}");
                }
            Assert.True(Math.Abs(Determinant(r) - 1) < 1e-12);
        }
    }

    [Fact]
    public void The_rotation_angle_follows_the_Haar_law_and_three_uniform_Euler_angles_do_not()
    {
        // Haar: θ has CDF (θ − sin θ)/π (Miles 1965). 20 000 draws make a KS test sensitive to a
        // Kolmogorov distance of ≈ 0.015 at level 1e-3.
        var haar = new RandomStream(11).Child("haar");
        var euler = new RandomStream(11).Child("euler");
        var r = new double[9];
        var haarAngles = new double[Draws];
        var eulerAngles = new double[Draws];
        for (int t = 0; t < Draws; t++)
        {
            HaarRotation.Sample(haar, r);
            haarAngles[t] = HaarRotation.Angle(r);
            eulerAngles[t] = HaarRotation.Angle(UniformEulerAngles(euler));
        }

        var haarKs = KolmogorovSmirnov.OneSample(haarAngles, HaarRotation.AngleCdf);
        var eulerKs = KolmogorovSmirnov.OneSample(eulerAngles, HaarRotation.AngleCdf);

        Assert.True(haarKs.PValue > 0.01, $"Haar sampler: KS D = {haarKs.Statistic:F4}, p = {haarKs.PValue:E3}");
        Assert.True(eulerKs.PValue < 1e-6, $"uniform Euler angles: KS D = {eulerKs.Statistic:F4}, p = {eulerKs.PValue:E3}");
    }

    [Fact]
    public void Haar_rotations_average_to_the_zero_matrix()
    {
        // E[R] = 0 under Haar; each entry has variance 1/3, so the mean of n draws has sd 1/√(3n).
        var rng = new RandomStream(3).Child("haar");
        var sum = new double[9];
        var r = new double[9];
        for (int t = 0; t < Draws; t++)
        {
            HaarRotation.Sample(rng, r);
            for (int k = 0; k < 9; k++) sum[k] += r[k];
        }
        double sd = 1 / Math.Sqrt(3.0 * Draws);
        for (int k = 0; k < 9; k++) Assert.True(Math.Abs(sum[k] / Draws) < 5 * sd, $"mean R[{k}] = {sum[k] / Draws}");
    }

    [Fact]
    public void A_quaternion_rotates_by_twice_its_half_angle()
    {
        // q = (cos θ/2, sin θ/2 · u) rotates by θ about u.
        double theta = 1.234;
        var r = new double[9];
        HaarRotation.FromQuaternion(Math.Cos(theta / 2), 0, 0, Math.Sin(theta / 2), r);
        Assert.Equal(Math.Cos(theta), r[0], 14);
        Assert.Equal(-Math.Sin(theta), r[1], 14);
        Assert.Equal(1.0, r[8], 14);
        Assert.Equal(theta, HaarRotation.Angle(r), 12);
    }

    /// <summary>
    /// The augmentation of e3_diffusion (utils.random_rotation): R = Rz·Ry·Rx with three angles
    /// uniform on [−π, π). Not Haar: the negative control of the angle test.
    /// </summary>
    static double[] UniformEulerAngles(RandomStream rng)
    {
        double a = rng.NextUniform(-Math.PI, Math.PI), b = rng.NextUniform(-Math.PI, Math.PI), c = rng.NextUniform(-Math.PI, Math.PI);
        double[] rx = [1, 0, 0, 0, Math.Cos(a), Math.Sin(a), 0, -Math.Sin(a), Math.Cos(a)];
        double[] ry = [Math.Cos(b), 0, Math.Sin(b), 0, 1, 0, -Math.Sin(b), 0, Math.Cos(b)];
        double[] rz = [Math.Cos(c), Math.Sin(c), 0, -Math.Sin(c), Math.Cos(c), 0, 0, 0, 1];
        return Multiply(rz, Multiply(ry, rx));
    }

    static double[] Multiply(double[] a, double[] b)
    {
        var c = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) c[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
        return c;
    }

    static double Determinant(double[] m) =>
        m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
