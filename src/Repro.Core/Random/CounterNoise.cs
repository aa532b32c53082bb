namespace Repro.Core.Random;

/// <summary>
/// Counter-based Gaussian noise: the draw for (key, particle, step, coordinate) is a pure
/// function of those four numbers, so a particle's path never depends on how particles are
/// batched, chunked or spread over threads (the property EDM gets from one generator per sample).
/// </summary>
/// <remarks>
/// Each counter tuple is hashed with SplitMix64 finalisers into two 64-bit words, which feed one
/// Box–Muller transform. Not a cryptographic generator; statistically adequate for Langevin noise
/// and tested for mean, variance and independence.
/// </remarks>
public readonly struct CounterNoise
{
    readonly ulong _key;

    /// <summary>Noise keyed by a stream (e.g. <c>rng.Child("reconstruct/forward-backward")</c>).</summary>
    public CounterNoise(RandomStream stream) => _key = stream.Seed;

    /// <summary>Noise keyed by a raw 64-bit key.</summary>
    public CounterNoise(ulong key) => _key = key;

    /// <summary>
    /// Projects each particle's noise vector onto the state space (in place), or null for the whole
    /// space: zero centre of mass for point clouds (<see cref="Targets.Mixture.ConstrainNoise"/>).
    /// Applied by <see cref="Fill"/>, so every sampler's noise obeys it.
    /// </summary>
    public Targets.NoiseProjection? Projection { get; init; }

    /// <summary>The key; equal keys give equal noise.</summary>
    public ulong Key => _key;

    /// <summary>A standard normal draw for one (particle, step, coordinate).</summary>
    public double Gaussian(long particle, long step, int coordinate)
    {
        var (even, odd) = Pair(particle, step, coordinate >> 1);
        return (coordinate & 1) == 0 ? even : odd;
    }

    /// <summary>
    /// A uniform draw in (0, 1) for one (particle, step), independent of that step's Gaussian
    /// coordinates (its own hash chain): a Metropolis–Hastings acceptance test's u.
    /// </summary>
    public double Uniform(long particle, long step)
    {
        ulong h = RandomStream.Mix(_key ^ RandomStream.Mix((ulong)particle + 0x9e3779b97f4a7c15UL));
        h = RandomStream.Mix(h ^ RandomStream.Mix((ulong)step * 0xd1b54a32d192ed03UL + 1));
        h = RandomStream.Mix(h ^ 0xa0761d6478bd642fUL);
        return ((h >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    /// <summary>
    /// Coordinates 2j and 2j+1 of one (particle, step): the cosine and sine halves of one
    /// Box–Muller transform of two hashed uniforms, so each hash yields two independent normals.
    /// </summary>
    (double Even, double Odd) Pair(long particle, long step, int pair)
    {
        ulong h = RandomStream.Mix(_key ^ RandomStream.Mix((ulong)particle + 0x9e3779b97f4a7c15UL));
        h = RandomStream.Mix(h ^ RandomStream.Mix((ulong)step * 0xd1b54a32d192ed03UL + 1));
        h = RandomStream.Mix(h ^ ((ulong)pair * 0x8cb92ba72f3d8dd7UL + 0x632be59bd9b4e019UL));
        ulong h2 = RandomStream.Mix(h + 0x9e3779b97f4a7c15UL);
        // u1 in (0, 1] so the logarithm is finite.
        double u1 = ((h >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (h2 >> 11) * (1.0 / (1UL << 53));
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (r * cos, r * sin);
    }

    /// <summary>
    /// Fills row-major n × d noise for particles [firstParticle, firstParticle + n) at one step, each
    /// row projected by <see cref="Projection"/> when there is one.
    /// Each value is a pure function of its indices, so the rows are filled in parallel blocks
    /// without changing a single bit.
    /// </summary>
    public void Fill(double[] destination, long firstParticle, int dimension, long step)
    {
        int n = destination.Length / dimension;
        var self = this;
        void Rows(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                int row = i * dimension;
                for (int k = 0; k < dimension; k += 2)
                {
                    var (even, odd) = self.Pair(firstParticle + i, step, k >> 1);
                    destination[row + k] = even;
                    if (k + 1 < dimension) destination[row + k + 1] = odd;
                }
                self.Projection?.Invoke(destination.AsSpan(row, dimension));
            }
        }
        const int block = 1024;
        if (n <= block) Rows(0, n);
        else Parallel.For(0, (n + block - 1) / block, b => Rows(b * block, Math.Min(n, (b + 1) * block)));
    }
}
