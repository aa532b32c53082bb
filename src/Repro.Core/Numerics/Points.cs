namespace Repro.Core.Numerics;

/// <summary>
/// A block of n points in d dimensions, row-major in one array of doubles: point i occupies
/// <c>Data[i*d .. i*d+d)</c>. The shape in which samples, scores and trajectories travel in Core.
/// </summary>
public sealed class Points
{
    /// <summary>Row-major coordinates, length <see cref="Count"/> × <see cref="Dimension"/>.</summary>
    public double[] Data { get; }

    /// <summary>Number of points n.</summary>
    public int Count { get; }

    /// <summary>Dimension d ≥ 1.</summary>
    public int Dimension { get; }

    /// <summary>Wraps row-major data (not copied).</summary>
    public Points(double[] data, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "must be ≥ 1");
        if (data.Length % dimension != 0)
            throw new ArgumentException($"length {data.Length} is not a multiple of dimension {dimension}", nameof(data));
        Data = data;
        Dimension = dimension;
        Count = data.Length / dimension;
    }

    /// <summary>n zero points in d dimensions.</summary>
    public static Points Zeros(int count, int dimension) => new(new double[checked(count * dimension)], dimension);

    /// <summary>Point i as a span of d coordinates.</summary>
    public Span<double> this[int i] => Data.AsSpan(i * Dimension, Dimension);

    /// <summary>Point i, read only.</summary>
    public ReadOnlySpan<double> Row(int i) => Data.AsSpan(i * Dimension, Dimension);

    /// <summary>Coordinate k of every point, copied.</summary>
    public double[] Column(int k)
    {
        var c = new double[Count];
        for (int i = 0; i < Count; i++) c[i] = Data[i * Dimension + k];
        return c;
    }

    /// <summary>A deep copy.</summary>
    public Points Clone() => new((double[])Data.Clone(), Dimension);

    /// <summary>Points [start, start + count), copied.</summary>
    public Points Slice(int start, int count) => new(Data.AsSpan(start * Dimension, count * Dimension).ToArray(), Dimension);
}
