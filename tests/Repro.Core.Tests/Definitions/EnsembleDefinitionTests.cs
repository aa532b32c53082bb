using System.Globalization;
using System.Text;
using Repro.Core.Definitions;
using Repro.Core.Definitions.Json;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Definitions;

/// <summary>
/// The <c>ensemble</c> component kind: a CSV of conformers beside the definition, split into training and held-out
/// conformers; its faults are one line naming the definition, the field, the data file, its line and the reason.
/// </summary>
public sealed class EnsembleDefinitionTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "repro-ensemble-" + Guid.NewGuid().ToString("N"));

    public EnsembleDefinitionTests() => Directory.CreateDirectory(Path.Combine(_folder, "data"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Reads one component object as if it were <c>$.data.components[0]</c> of <c>def.json</c> in the temp folder.</summary>
    EnsembleDefinition Read(string json)
    {
        string file = Path.Combine(_folder, "def.json");
        var parser = new PositionedJsonParser(Encoding.UTF8.GetBytes(json), file);
        var reader = new ObjectReader(parser, parser.Parse(), "$.data.components[0]");
        return (EnsembleDefinition)Catalog.Components.Read(reader);
    }

    /// <summary>Writes data/NAME.csv: a comment, a header of 3K names, then the rows.</summary>
    string WriteCsv(string name, int points, IEnumerable<double[]> rows)
    {
        var sb = new StringBuilder("# test ensemble\n");
        sb.Append(string.Join(",", Enumerable.Range(1, 3 * points).Select(i => $"x{i}"))).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        File.WriteAllText(Path.Combine(_folder, "data", name), sb.ToString());
        return "data/" + name;
    }

    /// <summary>n conformers of K points: conformer i has point k at (k + i, 2k, −k) + 10·i on every axis (so each has its own centre).</summary>
    static IEnumerable<double[]> Conformers(int n, int points) => Enumerable.Range(0, n)
        .Select(i => Enumerable.Range(0, points).SelectMany(k => new double[] { k + i + 10 * i, 2 * k + 10 * i, -k + 10 * i }).ToArray());

    static string Json(string file, int every = 4) => $$"""{ "kind": "ensemble", "weight": 1, "heldOutEvery": {{every}}, "file": "{{file}}" }""";

    [Fact]
    public void Every_nth_conformer_in_file_order_is_held_out_and_each_is_centred()
    {
        var definition = Read(Json(WriteCsv("e.csv", 3, Conformers(10, 3)), 4));
        Assert.Equal((8, 2), (definition.TrainingCount, definition.HeldOutCount));
        Assert.Equal(new ParticleShape(3, 3), definition.Particles);
        var component = (EnsembleComponent)definition.Build();
        // Held out: conformers 4 and 8 (1-based), i = 3 and 7, whose point 1 is at (i, 0, −0) + 10i before centring.
        var heldOut = component.HeldOut;
        Assert.Equal(2, heldOut.Count);
        for (int r = 0; r < 2; r++)
        {
            int i = r == 0 ? 3 : 7;
            // Centred: the points' mean is (1 + i, 2, −1) + 10i, so point 1 is (−1, −2, 1) whatever i is, and x of point 2 − point 1 = 1.
            Assert.Equal([-1.0, -2.0, 1.0], heldOut.Row(r)[..3].ToArray());
            Assert.Equal(new double[] { 2 + i + 10 * i, 4 + 10 * i, -2 + 10 * i }, definition.Conformers.Skip(i * 9 + 6).Take(3));
        }
        var training = component.Training;
        Assert.Equal(8, training.Count);
        for (int r = 0; r < training.Count; r++)
            for (int axis = 0; axis < 3; axis++)
                Assert.Equal(0.0, training.Row(r)[axis] + training.Row(r)[3 + axis] + training.Row(r)[6 + axis], 12);
    }

    [Fact]
    public void The_file_is_part_of_the_identity_and_the_law_is_the_training_split_on_the_subspace()
    {
        string file = WriteCsv("e.csv", 3, Conformers(10, 3));
        var a = Read(Json(file));
        Assert.NotNull(a.ExternalIdentity);
        File.AppendAllText(Path.Combine(_folder, file), "0,0,0,1,1,1,2,2,2\n");
        var b = Read(Json(file));
        Assert.NotEqual(a.ExternalIdentity, b.ExternalIdentity);
        Assert.Equal("abc", DefinitionIdentity.WithExternalData("abc", [null, null]));
        Assert.NotEqual(DefinitionIdentity.WithExternalData("abc", [a.ExternalIdentity]), DefinitionIdentity.WithExternalData("abc", [b.ExternalIdentity]));
        var mixture = new Mixture([1.0], [a.Build()]);
        Assert.True(mixture.ConstrainsNoise);
        Assert.NotNull(mixture.Split);
        Assert.False(mixture.HasDensity(Smoothing.None));
        Assert.True(mixture.HasDensity(Smoothing.Gaussian(0.1)));
    }

    [Fact]
    public void The_ubiquitin_ensemble_splits_into_87_training_and_29_held_out_conformers()
    {
        string file = Path.Combine(RepoPaths.Experiments, "data", "ubiquitin-2k39-ca.csv");
        var definition = Read(Json(file.Replace("\\", "/", StringComparison.Ordinal)));
        Assert.Equal((116, 228, 87, 29), (definition.ConformerCount, definition.Dimension, definition.TrainingCount, definition.HeldOutCount));
    }

    public static TheoryData<string, string, string> Faults() => new()
    {
        { "missing", "", "data/missing.csv: file not found" },
        { "short-row", "x", "data/bad.csv: line 4: 8 values, expected 9 (the header's columns)" },
        { "nan", "x", "data/bad.csv: line 3, column x5: must be a finite number (got \"NaN\")" },
        { "text", "x", "data/bad.csv: line 5, column x1: must be a finite number (got \"abc\")" },
        { "two-points-and-a-half", "x", "data/bad.csv: a conformer must be K ≥ 2 points of 3 coordinates (got 8 coordinates per row)" },
        { "too-few", "x", "data/bad.csv: 5 conformers with heldOutEvery 4 leave 4 for training and 1 held out; each side needs at least 2" },
        { "header-only", "x", "data/bad.csv: holds no conformers (no line after the header)" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_bad_file_is_one_line_naming_the_definition_the_field_the_file_and_the_reason(string fault, string unused, string reason)
    {
        _ = unused;
        var rows = Conformers(10, 3).ToList();
        string text = "# bad\nx1,x2,x3,x4,x5,x6,x7,x8,x9\n" + string.Join("\n", rows.Select(r => string.Join(",", r.Select(v => v.ToString(CultureInfo.InvariantCulture))))) + "\n";
        string file = "data/bad.csv";
        switch (fault)
        {
            case "missing": file = "data/missing.csv"; break;
            case "short-row": text = DropFirstField(text, 1); break;
            case "nan": text = ReplaceField(text, 0, 4, "NaN"); break;
            case "text": text = ReplaceField(text, 2, 0, "abc"); break;
            case "two-points-and-a-half":
                text = "x1,x2,x3,x4,x5,x6,x7,x8\n" + string.Join("\n", rows.Select(r => string.Join(",", r.Take(8).Select(v => v.ToString(CultureInfo.InvariantCulture))))) + "\n";
                break;
            case "too-few": text = string.Join("\n", text.Split('\n').Take(2 + 5)) + "\n"; break;
            case "header-only": text = "# nothing\nx1,x2,x3,x4,x5,x6\n\n"; break;
        }
        if (fault != "missing") File.WriteAllText(Path.Combine(_folder, file), text);
        var e = Assert.Throws<DefinitionException>(() => Read(Json(file)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(Path.Combine(_folder, "def.json") + ":1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.data.components[0].file: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine(_folder, reason), e.Message, StringComparison.Ordinal);
    }

    /// <summary>Drops the first field of data row <paramref name="row"/> (0-based; line row + 3 of the file).</summary>
    static string DropFirstField(string text, int row)
    {
        var lines = text.Split('\n');
        lines[2 + row] = lines[2 + row][(lines[2 + row].IndexOf(',', StringComparison.Ordinal) + 1)..];
        return string.Join("\n", lines);
    }

    /// <summary>Replaces field <paramref name="column"/> of data row <paramref name="row"/> (0-based, after comment and header).</summary>
    static string ReplaceField(string text, int row, int column, string value)
    {
        var lines = text.Split('\n');
        var fields = lines[2 + row].Split(',');
        fields[column] = value;
        lines[2 + row] = string.Join(",", fields);
        return string.Join("\n", lines);
    }

    [Theory]
    [InlineData("""{ "kind": "ensemble", "weight": 1, "heldOutEvery": 4 }""", "$.data.components[0].file: required field is missing (give file, a CSV of conformers beside the definition, or conformers inline)")]
    [InlineData("""{ "kind": "ensemble", "weight": 1, "heldOutEvery": 4, "file": "a.csv", "conformers": [[0, 0, 0, 1, 1, 1]] }""", "$.data.components[0].conformers: give either file or conformers, not both")]
    [InlineData("""{ "kind": "ensemble", "weight": 1, "heldOutEvery": 1, "conformers": [[0, 0, 0, 1, 1, 1]] }""", "$.data.components[0].heldOutEvery: must be ≥ 2 (got 1)")]
    [InlineData("""{ "kind": "ensemble", "weight": 1, "heldOutEvery": 2, "conformers": [[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 2], [0, 0, 0, 1, 1, 3]] }""", "$.data.components[0].conformers: 3 conformers with heldOutEvery 2 leave 2 for training and 1 held out; each side needs at least 2")]
    public void Inline_faults_name_their_field(string json, string expected)
    {
        var e = Assert.Throws<DefinitionException>(() => Read(json));
        Assert.EndsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
