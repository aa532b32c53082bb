using System.Text.Json;
using Repro.Core.Numerics;

namespace Repro.Core.Tests.Metrics;

/// <summary>Reads the SciPy/NumPy reference files written by Fixtures/metrics/make_fixtures.py.</summary>
internal static class MetricsFixture
{
    public static IEnumerable<JsonElement> Cases(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics", file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static double[] Doubles(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static int I(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static Points Points(this JsonElement e, string name, int d) => new(e.Doubles(name), d);

    /// <summary>|a − b| ≤ abs + rel·|b|.</summary>
    public static void Close(double expected, double actual, double rel, double abs = 0, string? what = null)
    {
        bool ok = Math.Abs(actual - expected) <= abs + rel * Math.Abs(expected);
        Assert.True(ok, $"{what}: expected {expected:R}, got {actual:R} (rel {(actual - expected) / expected:E2})");
    }

    /// <summary>Asserts that p-values look uniform: our own one-sample KS against U(0,1) does not reject at 1e-3.</summary>
    public static void LooksUniform(IReadOnlyList<double> pValues, string what)
    {
        var ks = Repro.Core.Metrics.KolmogorovSmirnov.OneSample(pValues.ToArray(), u => Math.Clamp(u, 0, 1));
        Assert.True(ks.PValue > 1e-3, $"{what}: null p-values not uniform, D = {ks.Statistic}, p = {ks.PValue}");
    }
}
