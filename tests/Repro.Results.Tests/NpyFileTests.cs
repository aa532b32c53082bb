using System.Text.Json;
using Repro.Core;

namespace Repro.Results.Tests;

/// <summary>
/// NpyFile against files written by NumPy 1.24 itself (Fixtures/npy/make_npy.py): every layout
/// NumPy writes for n × d floats reads back the same numbers as the CSV copy, and every other
/// array is refused with the line listed in expected-errors.json.
/// </summary>
public class NpyFileTests
{
    static readonly string Fixtures = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "tests", "Repro.Results.Tests", "Fixtures", "npy");

    static string Fixture(string name) => Path.Combine(Fixtures, name);

    static long[] Bits(Core.Numerics.Points p) => p.Data.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [InlineData("samples-f8.npy", "samples-f8.csv")]
    [InlineData("samples-f4.npy", "samples-f4.csv")]
    [InlineData("samples-fortran.npy", "samples-f8.csv")]
    [InlineData("samples-v2.npy", "samples-f8.csv")]
    [InlineData("samples-v3.npy", "samples-f8.csv")]
    [InlineData("samples-big-endian.npy", "samples-f8.csv")]
    [InlineData("samples.npz", "samples-f8.csv")]
    [InlineData("samples-compressed.npz", "samples-f8.csv")]
    [InlineData("samples-1d-column.npy", "samples-1d-column.csv")]
    public void NumPys_files_give_the_same_bits_as_the_CSV_of_the_same_samples(string npy, string csv)
    {
        var expected = PointsCsv.Read(Fixture(csv));

        var points = PointsFile.Read(Fixture(npy));

        Assert.Equal(expected.Dimension, points.Dimension);
        Assert.Equal(expected.Count, points.Count);
        Assert.Equal(Bits(expected), Bits(points));
    }

    public static TheoryData<string> Malformed() =>
        new(JsonDocument.Parse(File.ReadAllText(Fixture("expected-errors.json"))).RootElement.EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Anything_but_finite_n_by_d_floats_is_refused_with_one_line(string file)
    {
        var error = Assert.Throws<InputException>(() => PointsFile.Read(Fixture(file)));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith(Fixture(file) + ": ", error.Message);
        var fragments = JsonDocument.Parse(File.ReadAllText(Fixture("expected-errors.json"))).RootElement.GetProperty(file);
        foreach (var fragment in fragments.EnumerateArray()) Assert.Contains(fragment.GetString()!, error.Message);
    }

    [Fact]
    public void A_file_of_another_dimension_than_the_experiment_is_refused()
    {
        var error = Assert.Throws<InputException>(() => PointsFile.Read(Fixture("samples-f8.npy"), expectedDimension: 1));
        Assert.Contains("expected n × 1 samples for this experiment (got n × 2)", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Fixture("no-such.npy");
        var error = Assert.Throws<InputException>(() => PointsFile.Read(path));
        Assert.Equal($"{path}: file not found", error.Message);
    }
}
