namespace Repro.Reporting.Diff;

/// <summary>
/// How far a value may move between two result folders: |new − base| ≤ <see cref="Absolute"/> +
/// <see cref="Relative"/>·|base| (NumPy's <c>isclose</c> with the base as reference). With both zero
/// (<see cref="Exact"/>) the values must be bit-identical: same seed and thread count on the same
/// platform reproduce every number to the bit, so anything else is a change.
/// </summary>
/// <param name="Relative">rtol ≥ 0.</param>
/// <param name="Absolute">atol ≥ 0.</param>
public sealed record DiffTolerance(double Relative, double Absolute)
{
    /// <summary>Bit-identity required.</summary>
    public static DiffTolerance Exact { get; } = new(0, 0);

    /// <summary>True when no tolerance is allowed (bit-identity).</summary>
    public bool IsExact => Relative == 0 && Absolute == 0;

    /// <summary>
    /// True when <paramref name="newValue"/> is within tolerance of <paramref name="baseValue"/>.
    /// NaN matches only NaN and an infinity only itself, whatever the tolerance.
    /// </summary>
    public bool Allows(double baseValue, double newValue)
    {
        if (BitIdentical(baseValue, newValue)) return true;
        if (IsExact || !double.IsFinite(baseValue) || !double.IsFinite(newValue)) return false;
        return Math.Abs(newValue - baseValue) <= Absolute + Relative * Math.Abs(baseValue);
    }

    /// <summary>Same bits (every NaN counts as the same value; 0 and −0 differ).</summary>
    public static bool BitIdentical(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));
}
