using Repro.Core.Random;

namespace Repro.Core.Geometry;

/// <summary>
/// Uniformly (Haar) distributed rotations of R³: a unit quaternion q = g/‖g‖ with g four independent
/// standard normal draws is uniform on S³, and q ↦ R(q) maps the uniform law on S³ (a double cover of
/// SO(3)) to the Haar measure on SO(3) (Shoemake 1992, "Uniform random rotations", Graphics Gems III).
/// </summary>
/// <remarks>
/// Under the Haar measure the rotation angle θ = arccos((tr R − 1)/2) has density (1 − cos θ)/π on
/// [0, π] and CDF F(θ) = (θ − sin θ)/π (Miles 1965, Biometrika 52). Composing three rotations about
/// fixed axes with independent uniform angles (as in e3_diffusion's augmentation) is not Haar.
/// </remarks>
public static class HaarRotation
{
    /// <summary>Writes one Haar-distributed rotation into <paramref name="rotation"/> (3 × 3 row-major, det = +1).</summary>
    /// <param name="rng">The stream; four normal draws (more only in the probability-zero case ‖g‖ = 0).</param>
    /// <param name="rotation">Destination, length 9.</param>
    /// <exception cref="ArgumentException"><paramref name="rotation"/> does not have length 9.</exception>
    public static void Sample(RandomStream rng, Span<double> rotation)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (rotation.Length != 9) throw new ArgumentException($"rotation has length {rotation.Length}, expected 9", nameof(rotation));
        double w, x, y, z, norm;
        do
        {
            w = rng.NextGaussian();
            x = rng.NextGaussian();
            y = rng.NextGaussian();
            z = rng.NextGaussian();
            norm = Math.Sqrt(w * w + x * x + y * y + z * z);
        } while (norm == 0);
        FromQuaternion(w / norm, x / norm, y / norm, z / norm, rotation);
    }

    /// <summary>One Haar-distributed rotation, 3 × 3 row-major.</summary>
    public static double[] Sample(RandomStream rng)
    {
        var r = new double[9];
        Sample(rng, r);
        return r;
    }

    /// <summary>
    /// The rotation of the unit quaternion q = w + xi + yj + zk (v ↦ q v q*), 3 × 3 row-major.
    /// </summary>
    /// <exception cref="ArgumentException">q is not of unit norm within 1e-9, or the destination is not length 9.</exception>
    public static void FromQuaternion(double w, double x, double y, double z, Span<double> rotation)
    {
        if (rotation.Length != 9) throw new ArgumentException($"rotation has length {rotation.Length}, expected 9", nameof(rotation));
        double n2 = w * w + x * x + y * y + z * z;
        if (!(Math.Abs(n2 - 1) <= 1e-9)) throw new ArgumentException($"quaternion has squared norm {n2}, expected 1", nameof(w));
        rotation[0] = 1 - 2 * (y * y + z * z);
        rotation[1] = 2 * (x * y - w * z);
        rotation[2] = 2 * (x * z + w * y);
        rotation[3] = 2 * (x * y + w * z);
        rotation[4] = 1 - 2 * (x * x + z * z);
        rotation[5] = 2 * (y * z - w * x);
        rotation[6] = 2 * (x * z - w * y);
        rotation[7] = 2 * (y * z + w * x);
        rotation[8] = 1 - 2 * (x * x + y * y);
    }

    /// <summary>Rotation angle θ ∈ [0, π] of a rotation matrix: arccos((tr R − 1)/2), clamped against rounding.</summary>
    public static double Angle(ReadOnlySpan<double> rotation)
    {
        if (rotation.Length != 9) throw new ArgumentException($"rotation has length {rotation.Length}, expected 9", nameof(rotation));
        double c = (rotation[0] + rotation[4] + rotation[8] - 1) / 2;
        return Math.Acos(Math.Clamp(c, -1.0, 1.0));
    }

    /// <summary>CDF of the Haar rotation angle: F(θ) = (θ − sin θ)/π on [0, π] (0 below, 1 above).</summary>
    public static double AngleCdf(double theta) =>
        theta <= 0 ? 0.0 : theta >= Math.PI ? 1.0 : (theta - Math.Sin(theta)) / Math.PI;
}
