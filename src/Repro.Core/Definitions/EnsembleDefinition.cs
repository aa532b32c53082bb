using System.Globalization;
using System.Security.Cryptography;
using Repro.Core.Definitions.Json;
using Repro.Core.Numerics;

namespace Repro.Core.Definitions;

/// <summary>
/// A fixed ensemble of clouds of K points in R³ (e.g. the Cα traces of a protein's NMR conformers), read from a CSV
/// file beside the definition (<c>file</c>, relative to the definition's folder) or given inline (<c>conformers</c>),
/// one conformer per row of 3K coordinates x₁, y₁, z₁, x₂, …. Conformer i (1-based, in file order) is held out when i
/// is a multiple of <c>heldOutEvery</c>; the others are the training split. Every conformer is centred. The law
/// (<see cref="Targets.EnsembleComponent"/>) is the empirical law of the training conformers on the
/// zero-centre-of-mass subspace; smoothed, Tweedie's optimal denoiser for exactly that training set. The training
/// set a run draws (<c>data.n</c> rows) is n draws with replacement from the training conformers.
/// </summary>
/// <param name="Weight">Mixture weight.</param>
/// <param name="Source">The file as the definition names it, or null for inline conformers.</param>
/// <param name="Conformers">Every conformer in file order, row-major (not yet centred).</param>
/// <param name="ConformerCount">Number of conformers (rows).</param>
/// <param name="Coordinates">3K, the coordinates of a conformer.</param>
/// <param name="HeldOutEvery">Every this-many-th conformer (in file order) is held out, ≥ 2.</param>
/// <param name="FileSha256">SHA-256 (hex) of the file's bytes, or null for inline conformers.</param>
public sealed record EnsembleDefinition(double Weight, string? Source, IReadOnlyList<double> Conformers, int ConformerCount, int Coordinates,
    int HeldOutEvery, string? FileSha256) : ComponentDefinition(Weight)
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "ensemble";

    /// <summary>Fewest training and fewest held-out conformers: a two-sample test needs at least two on each side.</summary>
    public const int MinSplit = 2;

    /// <summary>A valid instance (JSON, inline conformers of 3 points), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """
        { "kind": "ensemble", "weight": 1, "heldOutEvery": 4, "conformers": [
            [0, 0, 0, 1.5, 0, 0, 0, 1, 0], [0.1, 0, 0, 1.4, 0.2, 0, 0, 1.1, 0.1], [0, -0.1, 0, 1.6, 0, 0.1, 0.1, 0.9, 0],
            [0, 0, 0.2, 1.5, 0.1, 0, -0.1, 1, 0], [0.2, 0.1, 0, 1.5, 0, -0.2, 0, 1.2, 0], [0, 0, 0, 1.3, 0, 0, 0.1, 1, 0.2],
            [-0.1, 0, 0.1, 1.5, -0.1, 0, 0, 0.8, 0], [0, 0.2, 0, 1.7, 0, 0, 0, 1, -0.1] ] }
        """;

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override int Dimension => Coordinates;

    /// <inheritdoc/>
    public override ParticleShape? Particles => new(Coordinates / 3, 3);

    /// <inheritdoc/>
    public override string? ExternalIdentity => FileSha256 is null ? null : $"{Kind}:{FileSha256}";

    /// <inheritdoc/>
    public override string Label => Source is null ? Kind : $"{Kind} {Path.GetFileName(Source)}";

    /// <summary>True when conformer <paramref name="index"/> (0-based, file order) is held out: (index + 1) is a multiple of <see cref="HeldOutEvery"/>.</summary>
    public bool IsHeldOut(int index) => (index + 1) % HeldOutEvery == 0;

    /// <summary>Number of held-out conformers, ⌊n / heldOutEvery⌋.</summary>
    public int HeldOutCount => ConformerCount / HeldOutEvery;

    /// <summary>Number of training conformers.</summary>
    public int TrainingCount => ConformerCount - HeldOutCount;

    /// <summary>The training conformers and the held-out ones, in file order (not yet centred).</summary>
    public (Points Training, Points HeldOut) Split()
    {
        var training = new List<double>(TrainingCount * Coordinates);
        var heldOut = new List<double>(HeldOutCount * Coordinates);
        for (int i = 0; i < ConformerCount; i++)
            (IsHeldOut(i) ? heldOut : training).AddRange(Conformers.Skip(i * Coordinates).Take(Coordinates));
        return (new Points(training.ToArray(), Coordinates), new Points(heldOut.ToArray(), Coordinates));
    }

    /// <inheritdoc/>
    public override Targets.IComponent Build()
    {
        var (training, heldOut) = Split();
        return new Targets.EnsembleComponent(training, heldOut);
    }

    /// <summary>
    /// Reads and validates <c>{ kind, weight, heldOutEvery, file | conformers }</c>: exactly one of <c>file</c> (a CSV
    /// path relative to the definition's folder: <c>#</c> comment lines, a header of 3K column names, then one
    /// conformer per line) and <c>conformers</c> (rows of 3K numbers); K ≥ 2, 3K ≤ <see cref="Limits.MaxDimension"/>,
    /// every value finite, at least <see cref="MinSplit"/> training and held-out conformers. A fault names the file,
    /// its line and column.
    /// </summary>
    public static EnsembleDefinition Read(ObjectReader r)
    {
        double weight = ReadWeight(r);
        int every = (int)r.Integer("heldOutEvery", 2, Limits.MaxSamples);
        bool hasFile = r.Has("file"), hasInline = r.Has("conformers");
        if (hasFile == hasInline)
            throw r.Error(hasFile ? "conformers" : "file", hasFile
                ? "give either file or conformers, not both"
                : "required field is missing (give file, a CSV of conformers beside the definition, or conformers inline)");
        double[] values;
        int rows, columns;
        string? source = null, sha = null;
        if (hasFile)
        {
            source = r.String("file");
            (values, rows, columns, sha) = ReadFile(r, source);
        }
        else
        {
            (values, rows, columns) = r.Matrix("conformers");
        }
        string where = hasFile ? "file" : "conformers";
        if (columns % 3 != 0 || columns < 6)
            throw r.Error(where, $"{Describe(r, source)}a conformer must be K ≥ 2 points of 3 coordinates (got {columns} coordinates per row)");
        if (columns > Limits.MaxDimension)
            throw r.Error(where, $"{Describe(r, source)}a conformer may have at most {Limits.MaxDimension} coordinates (got {columns})");
        if (rows > Limits.MaxSamples)
            throw r.Error(where, $"{Describe(r, source)}at most {Limits.MaxSamples} conformers (got {rows})");
        var definition = new EnsembleDefinition(weight, source, values, rows, columns, every, sha);
        if (definition.TrainingCount < MinSplit || definition.HeldOutCount < MinSplit)
            throw r.Error(where, $"{Describe(r, source)}{rows} conformers with heldOutEvery {every} leave {definition.TrainingCount} for training and "
                + $"{definition.HeldOutCount} held out; each side needs at least {MinSplit}");
        return definition;
    }

    /// <summary>Where the conformers came from, as an error's prefix ("data/x.csv: "), or nothing for inline ones.</summary>
    static string Describe(ObjectReader r, string? source) => source is null ? "" : $"{Resolve(r, source)}: ";

    /// <summary>The file named by a definition, relative to the definition's folder (an absolute path stays as it is).</summary>
    public static string Resolve(ObjectReader r, string file) =>
        Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(r.SourceFile) ?? "", file);

    static (double[] Values, int Rows, int Columns, string Sha) ReadFile(ObjectReader r, string file)
    {
        string path = Resolve(r, file);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw r.Error("file", $"{path}: " + (e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot read the file: " + e.Message));
        }
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw r.Error("file", $"{path}: not UTF-8 text");
        }
        var lines = text.Split('\n');
        int line = 0;
        while (line < lines.Length && lines[line].TrimStart().StartsWith('#')) line++;
        if (line >= lines.Length || lines[line].Trim().Length == 0)
            throw r.Error("file", $"{path}: line {line + 1}: expected a header of column names (x1, x2, …) after the # comment lines");
        string[] header = lines[line].TrimEnd('\r').Split(',');
        int columns = header.Length;
        var values = new List<double>();
        int rows = 0;
        for (int i = line + 1; i < lines.Length; i++)
        {
            string text1 = lines[i].TrimEnd('\r');
            if (text1.Trim().Length == 0) continue;
            string[] fields = text1.Split(',');
            if (fields.Length != columns)
                throw r.Error("file", $"{path}: line {i + 1}: {fields.Length} values, expected {columns} (the header's columns)");
            for (int j = 0; j < columns; j++)
            {
                if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw r.Error("file", $"{path}: line {i + 1}, column {header[j].Trim()}: must be a finite number (got \"{fields[j].Trim()}\")");
                values.Add(v);
            }
            rows++;
        }
        if (rows == 0) throw r.Error("file", $"{path}: holds no conformers (no line after the header)");
        return (values.ToArray(), rows, columns, sha);
    }
}
