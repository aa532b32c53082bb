using System.Text.Json;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

/// <summary>
/// The conformer metrics (<see cref="ConformerGeometry"/>, <c>conformer-validity</c>, <c>held-out-ks</c>, <c>memorisation</c>)
/// against NumPy/SciPy values (Fixtures/metrics/make_conformers.py: Kabsch by <c>Rotation.align_vectors</c>, distances by
/// <c>pdist</c>, KS by <c>ks_2samp</c>).
/// </summary>
public sealed class ConformerMetricsTests
{
    static readonly JsonElement Fixture = Load();

    static JsonElement Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics", "conformers.json")));
        return doc.RootElement.Clone();
    }

    static int K => Fixture.GetProperty("k").GetInt32();

    static Points Rows(JsonElement array) => new(array.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(), 3 * K);

    static Points Training => Rows(Fixture.GetProperty("training"));

    static Points HeldOut => Rows(Fixture.GetProperty("held_out"));

    static Points Sample => new(Fixture.GetProperty("sample").EnumerateArray().SelectMany(c => c.Doubles("cloud")).ToArray(), 3 * K);

    [Fact]
    public void Per_conformer_features_match_NumPy_and_SciPy()
    {
        int i = 0;
        foreach (var c in Fixture.GetProperty("sample").EnumerateArray())
        {
            double[] cloud = c.Doubles("cloud");
            var spacing = ConformerGeometry.NeighbourSpacings(cloud);
            var pdist = ConformerGeometry.PairwiseDistances(cloud);
            Assert.Equal(c.Doubles("spacings").Length, spacing.Length);
            for (int k = 0; k < spacing.Length; k++) MetricsFixture.Close(c.Doubles("spacings")[k], spacing[k], 1e-12, what: $"conformer {i} spacing {k}");
            Assert.Equal(c.Doubles("pdist").Length, pdist.Length);
            for (int k = 0; k < pdist.Length; k++) MetricsFixture.Close(c.Doubles("pdist")[k], pdist[k], 1e-12, what: $"conformer {i} pdist {k}");
            MetricsFixture.Close(c.D("gyration"), ConformerGeometry.RadiusOfGyration(cloud), 1e-12, what: $"conformer {i} R_g");
            Assert.Equal(c.I("clashes"), ConformerGeometry.Clashes(cloud, ConformerGeometry.ClashDistance));
            var training = Training;
            for (int j = 0; j < training.Count; j++)
            {
                // SciPy's align_vectors solves Kabsch by its own SVD (Markley); agreement to 1e-9 Å is far below any use.
                MetricsFixture.Close(c.Doubles("rmsd_to_training")[j], ConformerGeometry.Superposed(cloud, training.Row(j)).Rmsd, 1e-9, 1e-9, $"conformer {i} RMSD to training {j}");
                MetricsFixture.Close(c.Doubles("rmsd_to_mirrored_training")[j], ConformerGeometry.MirrorRmsd(cloud, training.Row(j)), 1e-9, 1e-9, $"conformer {i} RMSD to mirrored training {j}");
                Assert.Equal(c.Doubles("rmsd_to_mirrored_training")[j] < c.Doubles("rmsd_to_training")[j], ConformerGeometry.Superposed(cloud, training.Row(j)).MirrorCloser);
            }
            i++;
        }
    }

    [Fact]
    public void The_three_metric_kinds_give_the_reference_values_against_the_held_out_split()
    {
        var law = new ReferenceLaw(new Mixture([1.0], [new EnsembleComponent(Training, HeldOut)]), Smoothing.None, Training);
        var expected = Fixture.GetProperty("metrics");
        var settings = new MetricSettings(10, 4, 10, 100);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (ISampleMetric metric in new ISampleMetric[] { new ConformerValidityMetric(), new HeldOutKsMetric(), new MemorisationMetric() })
        {
            Assert.Null(MetricRegistry.WhySkipped(metric, law));
            foreach (var (name, value) in metric.Compute(Sample, law, settings, new RandomStream(1))) values.Add(name, value);
        }
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
        foreach (var p in expected.EnumerateObject())
            MetricsFixture.Close(p.Value.GetDouble(), values[p.Name], 1e-9, 1e-12, p.Name);
    }

    [Fact]
    public void Superposition_removes_rotation_and_translation_and_sees_the_mirror_image()
    {
        var cloud = Training.Row(0).ToArray();
        Span<double> r = stackalloc double[9];
        Repro.Core.Geometry.HaarRotation.Sample(new RandomStream(3), r);
        var moved = new double[cloud.Length];
        for (int k = 0; k < K; k++)
            for (int a = 0; a < 3; a++)
            {
                double v = 5.0 * (a + 1);
                for (int b = 0; b < 3; b++) v += r[3 * a + b] * cloud[3 * k + b];
                moved[3 * k + a] = v;
            }
        // The closed form a² + b² − 2Σs cancels: an RMSD below √(ε)·R_g ≈ 1e-7 here is rounding (documented on Superposed).
        var (rmsd, mirrorCloser) = ConformerGeometry.Superposed(moved, cloud);
        Assert.True(rmsd < 1e-6, $"RMSD of a rotated, translated copy: {rmsd}");
        Assert.False(mirrorCloser);
        for (int k = 0; k < K; k++) moved[3 * k] = -moved[3 * k];
        Assert.True(ConformerGeometry.Superposed(moved, cloud).MirrorCloser);
        Assert.True(ConformerGeometry.MirrorRmsd(moved, cloud) < 1e-6);
    }

    [Fact]
    public void Data_without_a_held_out_split_skips_them_saying_why()
    {
        var law = MetricSuite.Law("3d-centred-cloud-p-sigma", 10, new RandomStream(1));
        foreach (var metric in new IMetric[] { new ConformerValidityMetric(), new HeldOutKsMetric(), new MemorisationMetric() })
            Assert.Equal("the data is not an ensemble of conformers with a held-out split (kind \"ensemble\")", MetricRegistry.WhySkipped(metric, law));
    }
}
