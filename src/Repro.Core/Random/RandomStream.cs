using System.Text;

namespace Repro.Core.Random;

/// <summary>
/// A named, seeded stream of random numbers: xoshiro256** seeded through SplitMix64, an
/// algorithm we own so that results never change with a library upgrade.
/// </summary>
/// <remarks>
/// Children are derived from (seed, name) alone, never from how much the parent has drawn,
/// the idea of NumPy's <c>SeedSequence.spawn</c>: adding a reconstruction never shifts the draws
/// of another. There is no default seed and no static instance.
/// </remarks>
public sealed class RandomStream
{
    ulong _s0, _s1, _s2, _s3;
    double? _spareGaussian;

    /// <summary>The 64-bit seed this stream was created from.</summary>
    public ulong Seed { get; }

    /// <summary>The path of child names from the root, e.g. <c>seed-1/data</c>; for messages.</summary>
    public string Path { get; }

    /// <summary>Creates the root stream of an experiment seed.</summary>
    public RandomStream(ulong seed) : this(seed, $"seed-{seed}") { }

    RandomStream(ulong seed, string path)
    {
        Seed = seed;
        Path = path;
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>An independent stream keyed by <paramref name="name"/>; the same name gives the same stream.</summary>
    public RandomStream Child(string name) => new(DeriveSeed(Seed, name), Path + "/" + name);

    /// <summary>An independent stream keyed by an integer (a seed index, a chunk number).</summary>
    public RandomStream Child(long index) => Child(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Mixes a seed and a name into a child seed (FNV-1a over UTF-8, then SplitMix64 finalisation).</summary>
    public static ulong DeriveSeed(ulong seed, string name)
    {
        ulong h = 0xcbf29ce484222325UL ^ seed;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= 0x100000001b3UL;
        }
        return Mix(h ^ Mix(seed));
    }

    /// <summary>Next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [a, b).</summary>
    public double NextUniform(double a, double b) => a + (b - a) * NextDouble();

    /// <summary>Uniform integer on [0, n) without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be > 0");
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>Standard normal draw (Marsaglia's polar method; pairs are cached).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * f;
        return u * f;
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal draws.</summary>
    public void FillGaussian(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = NextGaussian();
    }

    /// <summary>A uniform random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    internal static ulong SplitMix64(ref ulong x)
    {
        x += 0x9e3779b97f4a7c15UL;
        return Mix(x);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
