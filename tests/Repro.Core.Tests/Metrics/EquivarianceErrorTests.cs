using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Metrics;

public sealed class EquivarianceErrorTests
{
    static readonly RandomStream Root = new RandomStream(16).Child("equivariance");

    static Points Clouds(IComponent c, int n, RandomStream rng)
    {
        var x = Points.Zeros(n, c.Dimension);
        for (int i = 0; i < n; i++) c.Sample(rng, x[i]);
        return x;
    }

    [Fact]
    public void The_exact_score_of_a_centred_Gaussian_cloud_is_equivariant_under_every_family()
    {
        // −P·X/v commutes with rotations, reflections and permutations and ignores translations.
        var cloud = new CentredGaussianCloudComponent(6, 1.0);
        var score = new ExactScore(new Mixture([1.0], [cloud]), 0.5);
        var result = EquivarianceError.Measure(score, Clouds(cloud, 8, Root.Child("x")), 0.5, 32, Root.Child("g"));

        foreach (var (name, family) in Families(result))
        {
            Assert.True(family.Max < 1e-13, $"{name}: max {family.Max:E2}");
            Assert.True(family.P99 <= family.Max);
            Assert.Equal(32 * 8, family.Count);
        }
    }

    [Fact]
    public void A_chiral_template_is_rotation_equivariant_but_not_under_reflections_translations_or_permutations()
    {
        // p is invariant under rotations only: the labelled, chiral template at the origin breaks the rest.
        var template = new RotatedTemplateComponent([0, 0, 0, 1.5, 0, 0, 0, 1, 0, 0, 0, 0.7], 0.2);
        var score = new ExactScore(new Mixture([1.0], [template]), 0.1);
        var result = EquivarianceError.Measure(score, Clouds(template, 4, Root.Child("x")), 0.1, 32, Root.Child("g"));

        Assert.True(result.Rotation.Max < 1e-9, $"rotation: {result.Rotation.Max:E2}");
        Assert.True(result.Reflection.Max > 0.1, $"reflection: {result.Reflection.Max:E2}");
        Assert.True(result.Translation.Max > 0.1, $"translation: {result.Translation.Max:E2}");
        Assert.True(result.Permutation.Max > 0.1, $"permutation: {result.Permutation.Max:E2}");
    }

    [Fact]
    public void Same_stream_same_numbers_and_too_few_draws_are_refused()
    {
        var cloud = new CentredGaussianCloudComponent(3, 1.0);
        var score = new ExactScore(new Mixture([1.0], [new RotatedTemplateComponent([0, 0, 0, 1, 0, 0, 0, 2, 0], 0.3)]), 0.2);
        var x = Clouds(cloud, 3, Root.Child("x"));
        Assert.Equal(EquivarianceError.Measure(score, x, 0.2, 32, Root.Child("g")), EquivarianceError.Measure(score, x, 0.2, 32, Root.Child("g")));
        Assert.Throws<ArgumentException>(() => EquivarianceError.Measure(score, x, 0.2, 31, Root.Child("g")));
        Assert.Throws<ArgumentException>(() => EquivarianceError.Measure(score, new Points(new double[8], 4), 0.2, 32, Root.Child("g")));
    }

    static IEnumerable<(string, EquivarianceErrorSummary)> Families(EquivarianceErrorResult r) =>
        [("rotation", r.Rotation), ("reflection", r.Reflection), ("translation", r.Translation), ("permutation", r.Permutation)];
}
