using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using Repro.Core.Tests.Targets;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// What every mixture component must satisfy, run on every registered kind's examples (in the style of
/// MathNet.Numerics' common distribution tests): its score is the gradient of its own log density at
/// several smoothings, its smoothed density tends to p₀'s as σ → 0, and its sampled moments are its
/// exact ones, for p₀ and for the smoothed laws.
/// </summary>
public static class ComponentSuite
{
    /// <summary>Smoothings at which the score and the moments are checked.</summary>
    static readonly Smoothing[] Smoothings = TargetAssert.Smoothings;

    /// <summary>Runs every check on <paramref name="definition"/> (label names it in failures).</summary>
    public static void Check(ComponentDefinition definition, string label)
    {
        var component = definition.Build();
        Assert.Equal(definition.Dimension, component.Dimension);
        var rng = new RandomStream(2024).Child(label);
        ScoreIsTheGradientOfTheLogDensity(component, rng.Child("score"), label);
        SmoothedDensityTendsToTheUnsmoothed(component, rng.Child("limit"), label);
        MomentsMatchSamples(component, rng.Child("moments"), label);
    }

    /// <summary>
    /// Fourth-order finite differences of log p against the score, at 6 points per smoothing drawn from that smoothing's
    /// own law; a smoothing under which the component has no density (an empirical law at σ = 0) is skipped.
    /// </summary>
    public static void ScoreIsTheGradientOfTheLogDensity(IComponent component, RandomStream rng, string label)
    {
        foreach (var s in Smoothings.Where(component.HasDensity))
        {
            var x = SmoothedSample(component, 6, s, rng.Child(s.ToString()));
            for (int i = 0; i < x.Count; i++)
                TargetAssert.ComponentScoreMatchesFiniteDifference(component, x.Row(i).ToArray(), s, $"{label} {s} point {i}");
        }
    }

    /// <summary>
    /// log p_σ and ∇log p_σ at σ = 1e-6 agree with σ = 0 at points of p₀: |Δ log p| ≤ 1e-6 and the
    /// scores within 1e-5 relative (the smoothing changes them by O(σ²)). A component without a density at σ = 0 (an
    /// empirical law, whose kernel density tends to point masses) has no limit to compare with: checked instead that it
    /// says so.
    /// </summary>
    public static void SmoothedDensityTendsToTheUnsmoothed(IComponent component, RandomStream rng, string label)
    {
        int d = component.Dimension;
        if (!component.HasDensity(Smoothing.None))
        {
            Assert.True(component.HasDensity(Smoothing.Gaussian(1e-6)), $"{label}: no density at σ = 1e-6 either");
            Assert.ThrowsAny<ArgumentException>(() => component.LogDensity(new double[d], Smoothing.None, Span<double>.Empty));
            return;
        }
        var x = TargetAssert.SampleComponent(component, 8, rng);
        for (int i = 0; i < x.Count; i++)
        {
            var row = x.Row(i).ToArray();
            double[] s0 = new double[d], sSmall = new double[d];
            double l0 = component.LogDensity(row, Smoothing.None, s0);
            double lSmall = component.LogDensity(row, Smoothing.Gaussian(1e-6), sSmall);
            Assert.True(Math.Abs(l0 - lSmall) <= 1e-6 * Math.Max(1, Math.Abs(l0)), $"{label} point {i}: log p₀ = {l0}, log p_σ(σ = 1e-6) = {lSmall}");
            double diff = 0, norm = 0;
            for (int k = 0; k < d; k++)
            {
                diff += (s0[k] - sSmall[k]) * (s0[k] - sSmall[k]);
                norm += s0[k] * s0[k];
            }
            Assert.True(Math.Sqrt(diff) <= 1e-5 * (Math.Sqrt(norm) + 1), $"{label} point {i}: |∇log p₀ − ∇log p_σ| = {Math.Sqrt(diff):E3} at σ = 1e-6");
        }
    }

    /// <summary>n draws of a·x₀ + σ·ε with ε projected onto the component's state space (<see cref="IComponent.ConstrainNoise"/>).</summary>
    static Points SmoothedSample(IComponent component, int n, Smoothing s, RandomStream rng)
    {
        int d = component.Dimension;
        var x = TargetAssert.SampleComponent(component, n, rng.Child("x0"));
        var noise = rng.Child("noise");
        var eps = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++) eps[k] = noise.NextGaussian();
            component.ConstrainNoise(eps);
            for (int k = 0; k < d; k++) x.Data[i * d + k] = s.Scale * x.Data[i * d + k] + s.Sigma * eps[k];
        }
        return x;
    }

    /// <summary>Mean and covariance of 20 000 draws of each smoothed law within 5 standard errors of the exact ones.</summary>
    public static void MomentsMatchSamples(IComponent component, RandomStream rng, string label)
    {
        foreach (var s in Smoothings)
        {
            var x = SmoothedSample(component, 20_000, s, rng.Child(s.ToString()));
            TargetAssert.MomentsMatchSample(component.Mean(s), component.Covariance(s), x);
        }
    }
}
