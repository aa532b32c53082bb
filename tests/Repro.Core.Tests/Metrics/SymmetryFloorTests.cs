using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

public sealed class SymmetryFloorTests
{
    static readonly RandomStream Root = new RandomStream(16).Child("symmetry-floor");

    /// <summary>A chiral tetrahedron: three different arm lengths, no mirror symmetry.</summary>
    static readonly double[] Chiral = [0, 0, 0, 1.5, 0, 0, 0, 1, 0, 0, 0, 0.7];

    static Mixture Single(IComponent c) => new([1.0], [c]);

    static double[] Reflected(double[] template)
    {
        var m = (double[])template.Clone();
        for (int k = 2; k < m.Length; k += 3) m[k] = -m[k];
        return m;
    }

    static double MaxAbsDifference(Points a, Points b) => a.Data.Zip(b.Data, (u, v) => Math.Abs(u - v)).Max();

    [Fact]
    public void O3_average_of_a_chiral_template_is_the_score_of_the_template_mixed_with_its_mirror_image()
    {
        // Independent route: p_O(3) = ½·RT(M) + ½·RT(J·M) through Mixture's own log-sum-exp, then P.
        var smoothing = new Smoothing(1, 0.4);
        var law = Single(new RotatedTemplateComponent(Chiral, 0.1, centred: true));
        var mirrored = new Mixture([0.5, 0.5], [new RotatedTemplateComponent(Chiral, 0.1, centred: true), new RotatedTemplateComponent(Reflected(Chiral), 0.1, centred: true)]);
        var x = law.Sample(200, smoothing, Root.Child("o3"));
        var expected = mirrored.Score(x, smoothing);
        var actual = SymmetryFloor.SymmetrisedScore(law, smoothing, x, permutations: false);
        Assert.True(MaxAbsDifference(expected, actual) < 1e-9, $"largest difference {MaxAbsDifference(expected, actual):E3}");
        // And the floor is far from 0: at σ = 0.4 the chirality of a 0.7-high tetrahedron is only partly resolved.
        double floor = SymmetryFloor.Compute(law, smoothing, x, permutations: false).RelativeL2;
        Assert.InRange(floor, 0.02, 0.9);
    }

    [Fact]
    public void E3_x_SK_average_is_the_mixture_over_every_relabelled_and_mirrored_template()
    {
        // K = 3: the 3!·2 = 12 templates g⁻¹·M, equal weights, through Mixture; full-space jitter, so P matters too.
        double[] m = [0, 0, 0, 1.4, 0, 0, 0, 0.8, 0.3];
        var smoothing = new Smoothing(1, 0.3);
        var law = Single(new RotatedTemplateComponent(m, 0.15));
        var parts = new List<IComponent>();
        foreach (int[] p in new[] { new[] { 0, 1, 2 }, new[] { 0, 2, 1 }, new[] { 1, 0, 2 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 }, new[] { 2, 1, 0 } })
        {
            var permuted = p.SelectMany(j => m.Skip(3 * j).Take(3)).ToArray();
            parts.Add(new RotatedTemplateComponent(permuted, 0.15));
            parts.Add(new RotatedTemplateComponent(Reflected(permuted), 0.15));
        }
        var symmetrised = new Mixture(Enumerable.Repeat(1.0 / 12, 12).ToArray(), parts);
        var x = law.Sample(100, smoothing, Root.Child("sk"));
        var expected = symmetrised.Score(x, smoothing);
        for (int i = 0; i < x.Count; i++) CentredGaussianCloudComponent.RemoveCentreOfMass(expected[i]);
        var actual = SymmetryFloor.SymmetrisedScore(law, smoothing, x, permutations: true);
        Assert.True(MaxAbsDifference(expected, actual) < 1e-9, $"largest difference {MaxAbsDifference(expected, actual):E3}");
    }

    [Fact]
    public void An_invariant_law_has_floor_zero()
    {
        // The centred Gaussian cloud is invariant under O(3) and S_K and lives on the zero-centre-of-mass subspace.
        var law = Single(new CentredGaussianCloudComponent(4, 1.0));
        var smoothing = new Smoothing(1, 0.5);
        var x = law.Sample(300, smoothing, Root.Child("invariant"));
        Assert.True(SymmetryFloor.Compute(law, smoothing, x, permutations: false).RelativeL2 < 1e-12);
        Assert.True(SymmetryFloor.Compute(law, smoothing, x, permutations: true).RelativeL2 < 1e-12);
    }

    [Fact]
    public void A_planar_template_is_its_own_mirror_image_so_only_the_centre_of_mass_is_lost()
    {
        // A planar template's law is reflection-invariant: f* is P·∇log p, and the floor is the score's centre-of-mass share.
        double[] planar = [0, 0, 0, 1.5, 0, 0, 0, 1, 0, 0.4, 0.6, 0];
        var law = Single(new RotatedTemplateComponent(planar, 0.1));
        var smoothing = new Smoothing(1, 0.4);
        var x = law.Sample(300, smoothing, Root.Child("planar"));
        var exact = law.Score(x, smoothing);
        var projected = exact.Clone();
        for (int i = 0; i < x.Count; i++) CentredGaussianCloudComponent.RemoveCentreOfMass(projected[i]);
        var actual = SymmetryFloor.SymmetrisedScore(law, smoothing, x, permutations: false);
        Assert.True(MaxAbsDifference(projected, actual) < 1e-9, $"largest difference {MaxAbsDifference(projected, actual):E3}");
        // Centred, the same template's floor is 0.
        var centred = Single(new RotatedTemplateComponent(planar, 0.1, centred: true));
        var y = centred.Sample(300, smoothing, Root.Child("planar-centred"));
        Assert.True(SymmetryFloor.Compute(centred, smoothing, y, permutations: false).RelativeL2 < 1e-9);
    }

    [Fact]
    public void The_floor_is_a_lower_bound_Any_other_equivariant_score_is_further_by_Pythagoras()
    {
        // f* is the L2(p) projection of ∇log p onto equivariant fields, so for the equivariant f = c·f*,
        // E‖f − s‖² = E‖f* − s‖² + (1 − c)²·E‖f*‖² (the cross term vanishes in expectation): checked on 4,000 draws.
        var law = Single(new RotatedTemplateComponent(Chiral, 0.1, centred: true));
        var smoothing = new Smoothing(1, 0.4);
        var x = law.Sample(4000, smoothing, Root.Child("pythagoras"));
        var exact = law.Score(x, smoothing);
        var best = SymmetryFloor.SymmetrisedScore(law, smoothing, x, permutations: false);
        double norm2 = exact.Data.Sum(v => v * v) / x.Count, best2 = best.Data.Sum(v => v * v) / x.Count;
        double floor2 = Math.Pow(ScoreError.Compute(best, exact).RelativeL2, 2);
        foreach (double c in new[] { 0.8, 1.2 })
        {
            var f = new Points(best.Data.Select(v => c * v).ToArray(), best.Dimension);
            double error2 = Math.Pow(ScoreError.Compute(f, exact).RelativeL2, 2);
            double predicted = floor2 + (1 - c) * (1 - c) * best2 / norm2;
            Assert.True(error2 > floor2, $"c = {c}: error² {error2:R} is below the floor² {floor2:R}");
            Assert.True(Math.Abs(error2 - predicted) < 0.05 * (error2 - floor2), $"c = {c}: error² {error2:R}, Pythagoras predicts {predicted:R}");
        }
    }

    [Fact]
    public void Too_many_points_for_permutations_is_refused()
    {
        var law = Single(new CentredGaussianCloudComponent(7, 1.0));
        var x = law.Sample(3, new Smoothing(1, 0.5), Root.Child("many"));
        Assert.Throws<ArgumentException>(() => SymmetryFloor.SymmetrisedScore(law, new Smoothing(1, 0.5), x, permutations: true));
    }

    [Fact]
    public void The_metric_runs_only_on_laws_declared_rotation_invariant()
    {
        // A fixed-frame Gaussian in R^{3K} (particle shape declared) is not rotation-invariant: averaging over {I, J}
        // alone would not be its O(3) average, so the metric is skipped with the reason; the rotated template runs.
        var frame = new Mixture([1.0], [new GaussianComponent([0, 0, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1])]);
        var fixedLaw = new ReferenceLaw(frame, new Smoothing(1, 0.5), frame.Sample(10, Root.Child("frame")), (2, 3));
        Assert.Contains("rotations", fixedLaw.Lacks(MetricNeed.RotationInvariantLaw));
        var template = Single(new RotatedTemplateComponent(Chiral, 0.1, centred: true));
        var law = new ReferenceLaw(template, new Smoothing(1, 0.5), template.Sample(10, new Smoothing(1, 0.5), Root.Child("t")), (4, 3));
        Assert.Null(law.Lacks(MetricNeed.RotationInvariantLaw));
        Assert.Contains(MetricNeed.RotationInvariantLaw, new SymmetryFloorMetric().Needs);
    }
}
