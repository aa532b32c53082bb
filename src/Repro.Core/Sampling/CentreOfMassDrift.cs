using Repro.Core.Numerics;

namespace Repro.Core.Sampling;

/// <summary>
/// How far a sampler's particles leave the zero-centre-of-mass subspace: at every step (the start included) and
/// for every particle, ‖c(X)‖ / r(X), the norm of the cloud's centre of mass c = (1/K) Σ_k x_k over its RMS radius
/// about that centre, r = √((1/K) Σ_k ‖x_k − c‖²); the largest value over the whole run. A sampler whose noise and
/// score both lie in the subspace keeps it at rounding; a score with a centre-of-mass component moves the cloud by
/// (η/2)·(1/K)Σ_k s_k per step (EDM for molecules, Hoogeboom et al. 2022, keeps x and the network's output there).
/// </summary>
/// <remarks>
/// A maximum does not depend on the order the particles are seen in, so chunking and thread count do not change it.
/// A cloud whose points coincide (r = 0) counts as ∞ when its centre is off 0 and as 0 when it is on it.
/// </remarks>
public sealed class CentreOfMassDrift
{
    readonly int _count, _space;

    /// <summary>A drift record for clouds of <paramref name="count"/> points in <paramref name="space"/> dimensions.</summary>
    public CentreOfMassDrift(int count, int space)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(space, 1);
        (_count, _space) = (count, space);
    }

    /// <summary>The largest ‖c‖ / r seen so far (0 before any step; NaN once a coordinate was not finite).</summary>
    public double Max { get; private set; }

    /// <summary>A <see cref="ISampler.Run"/> record callback: folds every particle of every step into <see cref="Max"/>.</summary>
    public Action<int, Points> Observer() => (_, x) =>
    {
        for (int i = 0; i < x.Count; i++)
        {
            double drift = Relative(x[i]);
            if (double.IsNaN(drift) || double.IsNaN(Max)) Max = double.NaN;
            else Max = Math.Max(Max, drift);
        }
    };

    /// <summary>‖c(X)‖ / r(X) of one cloud, a row of K·m coordinates x₁, y₁, z₁, x₂, ….</summary>
    public double Relative(ReadOnlySpan<double> cloud)
    {
        if (cloud.Length != _count * _space) throw new ArgumentException($"a cloud has {_count * _space} coordinates (got {cloud.Length})", nameof(cloud));
        Span<double> centre = stackalloc double[_space];
        for (int k = 0; k < _count; k++)
            for (int c = 0; c < _space; c++) centre[c] += cloud[k * _space + c];
        double centreNorm2 = 0;
        for (int c = 0; c < _space; c++)
        {
            centre[c] /= _count;
            centreNorm2 += centre[c] * centre[c];
        }
        double spread = 0;
        for (int k = 0; k < _count; k++)
            for (int c = 0; c < _space; c++)
            {
                double e = cloud[k * _space + c] - centre[c];
                spread += e * e;
            }
        double radius = Math.Sqrt(spread / _count), norm = Math.Sqrt(centreNorm2);
        return radius > 0 ? norm / radius : norm > 0 ? double.PositiveInfinity : double.IsNaN(norm) ? double.NaN : 0;
    }
}
