namespace Repro.Reporting.Diff;

/// <summary>
/// How far a value may move between two result folders. Three kinds:
/// <list type="bullet">
/// <item>bit-identity (<see cref="Exact"/>): same seed and thread count on the same platform reproduce every
/// number to the bit, so anything else is a change;</item>
/// <item>a uniform tolerance |new − base| ≤ <see cref="Absolute"/> + <see cref="Relative"/>·|base| (NumPy's
/// <c>isclose</c> with the base as reference) on every number;</item>
/// <item>the null-spread tolerances (<see cref="ByNullSpread"/>, <see cref="NullSpreadTolerance"/>): each metric
/// judged against its null spread, p-values by their verdict, stored files not digit by digit.</item>
/// </list>
/// <see cref="Auto"/> picks bit-identity when both folders were made with the same thread count and
/// package versions, else the null-spread tolerances.
/// </summary>
/// <param name="Relative">rtol ≥ 0.</param>
/// <param name="Absolute">atol ≥ 0.</param>
public sealed record DiffTolerance(double Relative, double Absolute)
{
    /// <summary>Bit-identity required.</summary>
    public static DiffTolerance Exact { get; } = new(0, 0);

    /// <summary>Each metric judged against its null spread (<see cref="NullSpreadTolerance"/>).</summary>
    public static DiffTolerance ByNullSpread { get; } = new(0, 0) { NullSpread = true };

    /// <summary>Bit-identity when threads and packages agree, else <see cref="ByNullSpread"/> (decided by <see cref="ResultsDiff.Compare"/>).</summary>
    public static DiffTolerance Auto { get; } = new(0, 0) { IsAuto = true };

    /// <summary>True for the null-spread tolerances.</summary>
    public bool NullSpread { get; init; }

    /// <summary>True when the kind is still to be chosen from the two folders' environments.</summary>
    public bool IsAuto { get; init; }

    /// <summary>True when no tolerance is allowed (bit-identity).</summary>
    public bool IsExact => !NullSpread && !IsAuto && Relative == 0 && Absolute == 0;

    /// <summary>
    /// True when <paramref name="newValue"/> is within tolerance of <paramref name="baseValue"/> for a number
    /// of a stored file (the metrics themselves go through <see cref="NullSpreadTolerance"/> under the
    /// null-spread tolerances, which leave other files to them). NaN matches only NaN and an infinity only
    /// itself, whatever the tolerance.
    /// </summary>
    public bool Allows(double baseValue, double newValue)
    {
        if (BitIdentical(baseValue, newValue)) return true;
        if (IsExact || !double.IsFinite(baseValue) || !double.IsFinite(newValue)) return false;
        if (NullSpread) return true;
        return Math.Abs(newValue - baseValue) <= Absolute + Relative * Math.Abs(baseValue);
    }

    /// <summary>Same bits (every NaN counts as the same value; 0 and −0 differ).</summary>
    public static bool BitIdentical(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));
}
