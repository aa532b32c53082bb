using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Repro.Reporting;

/// <summary>
/// Mean over replicates (training seeds) with a two-sided 95% Student-t interval,
/// mean ± t₀.₉₇₅,ₙ₋₁ · s/√n. Never the best of k.
/// </summary>
public sealed record Estimate(double Mean, double HalfWidth, int Count, double Min, double Max)
{
    /// <summary>The estimate of finite values (missing values are dropped).</summary>
    public static Estimate Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new Estimate(double.NaN, double.NaN, 0, double.NaN, double.NaN);
        double mean = v.Average();
        if (v.Length == 1) return new Estimate(mean, double.NaN, 1, mean, mean);
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double t = StudentT.InvCDF(0, 1, v.Length - 1, 0.975);
        return new Estimate(mean, t * sd / Math.Sqrt(v.Length), v.Length, v.Min(), v.Max());
    }

    /// <summary>"0.123 ± 0.004" with a sensible number of significant digits.</summary>
    public override string ToString() => Format("G3");

    /// <summary>
    /// Formats mean ± half-width with the given numeric format; a value equal in every replicate (a quantity of the
    /// target, such as the loss floor by quadrature) has no interval and says so.
    /// </summary>
    public string Format(string format) =>
        Count == 0 ? "—"
        : double.IsNaN(HalfWidth) ? Mean.ToString(format, CultureInfo.InvariantCulture)
        : Count > 1 && Min == Max ? $"{Mean.ToString(format, CultureInfo.InvariantCulture)} (the same in all {Count} seeds)"
        : $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {HalfWidth.ToString("G2", CultureInfo.InvariantCulture)}";
}
