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

    /// <summary>The key; equal keys give equal noise.</summary>
    public ulong Key => _key;

    /// <summary>A standard normal draw for one (particle, step, coordinate).</summary>
    public double Gaussian(long particle, long step, int coordinate)
    {
        ulong h = RandomStream.Mix(_key ^ RandomStream.Mix((ulong)particle + 0x9e3779b97f4a7c15UL));
        h = RandomStream.Mix(h ^ RandomStream.Mix((ulong)step * 0xd1b54a32d192ed03UL + 1));
        h = RandomStream.Mix(h ^ ((ulong)coordinate * 0x8cb92ba72f3d8dd7UL + 0x632be59bd9b4e019UL));
        ulong h2 = RandomStream.Mix(h + 0x9e3779b97f4a7c15UL);
        // Box–Muller with u1 in (0, 1] so the logarithm is finite.
        double u1 = ((h >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (h2 >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills row-major n × d noise for particles [firstParticle, firstParticle + n) at one step.</summary>
    public void Fill(Span<double> destination, long firstParticle, int dimension, long step)
    {
        int n = destination.Length / dimension;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < dimension; k++)
                destination[i * dimension + k] = Gaussian(firstParticle + i, step, k);
    }
}
