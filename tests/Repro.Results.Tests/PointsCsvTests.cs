using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results.Tests;

public sealed class PointsCsvTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string FileWith(string text)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Points_survive_a_round_trip_bit_for_bit()
    {
        var points = new Points([0.1, -1e-300, Math.PI, 1e300, -0.0, 123456789.123456789], 3);
        string path = Path.Combine(_dir, "p.csv");

        PointsCsv.Write(path, points);
        var back = PointsCsv.Read(path);

        Assert.Equal(3, back.Dimension);
        Assert.Equal(points.Data.Select(BitConverter.DoubleToInt64Bits), back.Data.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("x1,x2\n1,2\n3\n", ":3: expected 2 values (got 1)")]
    [InlineData("x1,x2\n1,2\n3,abc\n", ":3: x2 is not a number (got \"abc\")")]
    [InlineData("x1,x2\n1,NaN\n", ":2: x2 must be finite (got NaN)")]
    [InlineData("a,b\n1,2\n", ":1: header must be x1,...,x2 (got a,b)")]
    [InlineData("", ":1: empty file (expected a header x1,...,xd)")]
    [InlineData("x1\n", ":2: no points after the header")]
    public void Bad_points_fail_with_the_file_and_line(string text, string expected)
    {
        string path = FileWith(text);

        var e = Assert.Throws<InputException>(() => PointsCsv.Read(path));

        Assert.Equal(path + expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_dir, "absent.csv");
        Assert.Equal(path + ": file not found", Assert.Throws<InputException>(() => PointsCsv.Read(path)).Message);
    }
}
