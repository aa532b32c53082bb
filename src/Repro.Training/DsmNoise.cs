using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Training;

/// <summary>The noise ε of a DSM batch, shared by the single-σ and the schedule objectives.</summary>
public static class DsmNoise
{
    /// <summary>
    /// batch × d standard normal draws from <paramref name="noise"/>, row-major, in float32; with a
    /// <paramref name="projection"/> each row is projected in float64 first, ε ↦ Pε (the zero-centre-of-mass
    /// subspace of E(3) diffusion, Hoogeboom et al. 2022).
    /// </summary>
    /// <returns>A new array of batch·d values.</returns>
    public static float[] Draw(RandomStream noise, long batch, long d, NoiseProjection? projection)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var eps = new float[batch * d];
        if (projection is null)
            for (int i = 0; i < eps.Length; i++) eps[i] = (float)noise.NextGaussian();
        else
        {
            var row = new double[d];
            for (long i = 0; i < batch; i++)
            {
                for (int j = 0; j < d; j++) row[j] = noise.NextGaussian();
                projection(row);
                for (int j = 0; j < d; j++) eps[i * d + j] = (float)row[j];
            }
        }
        return eps;
    }
}
