using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// A new kind is one file plus one registration: the throwaway component and sampler (each one file in
/// this folder) are registered with one line each, and the catalog-wide suites then run them with no
/// other edit, exactly as they run the shipped kinds, and the schema check names what the schema lacks.
/// </summary>
public sealed class ThrowawayKindsTests
{
    static readonly Registry<ComponentDefinition> Components =
        Catalog.Components.With(ThrowawaySphericalGaussian.Kind, ThrowawaySphericalGaussian.Read, ThrowawaySphericalGaussian.Example);

    static readonly Registry<SamplerDefinition> Samplers =
        Catalog.Samplers.With(ThrowawayDecayingLangevin.Kind, ThrowawayDecayingLangevin.Read, ThrowawayDecayingLangevin.Example);

    [Fact]
    public void A_registered_throwaway_component_is_read_by_kind_and_passes_the_component_suite()
    {
        Assert.Contains(ThrowawaySphericalGaussian.Kind, Components.Kinds);
        Assert.DoesNotContain(ThrowawaySphericalGaussian.Kind, Catalog.Components.Kinds); // the shipped catalog is untouched
        foreach (string kind in Components.Kinds)
            for (int i = 0; i < Components.Examples(kind).Count; i++)
                ComponentSuite.Check(Components.ReadExample(kind, i), $"{kind} example {i}");
    }

    [Fact]
    public void A_registered_throwaway_sampler_is_read_by_kind_and_passes_the_sampler_suite()
    {
        Assert.Contains(ThrowawayDecayingLangevin.Kind, Samplers.Kinds);
        foreach (string kind in Samplers.Kinds)
            for (int i = 0; i < Samplers.Examples(kind).Count; i++)
                SamplerSuite.Check(Samplers.ReadExample(kind, i), $"{kind} example {i}");
    }

    [Fact]
    public void The_schema_check_names_both_throwaway_kinds_as_registered_but_missing_from_the_schema()
    {
        var problems = SchemaCatalogTests.Problems(SchemaCatalogTests.Committed(), Core.Metrics.MetricCatalog.Default,
            new Dictionary<string, IEnumerable<string>> { ["component"] = Components.Kinds, ["sampler"] = Samplers.Kinds });

        Assert.Equal(
        [
            $"component kind enum: \"{ThrowawaySphericalGaussian.Kind}\" is registered but missing from the schema",
            $"component per-kind stanzas (allOf if kind const): \"{ThrowawaySphericalGaussian.Kind}\" is registered but missing from the schema",
            $"sampler kind enum: \"{ThrowawayDecayingLangevin.Kind}\" is registered but missing from the schema",
            $"sampler per-kind stanzas (allOf if kind const): \"{ThrowawayDecayingLangevin.Kind}\" is registered but missing from the schema",
        ], problems);
    }

    [Fact]
    public void The_component_suite_fails_a_kind_whose_score_is_not_the_gradient_of_its_log_density()
    {
        // The suite can fail: the same throwaway with its score scaled by 1.01 (a wrong truth).
        var wrong = new WrongScore(Components.ReadExample(ThrowawaySphericalGaussian.Kind));

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ComponentSuite.ScoreIsTheGradientOfTheLogDensity(wrong, new RandomStream(1), "wrong score"));
    }

    [Fact]
    public void The_sampler_suite_fails_a_sampler_whose_noise_depends_on_the_chunk()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SamplerSuite.Check(new ChunkDependent(), "chunk-dependent"));
    }

    sealed class WrongScore(ComponentDefinition definition) : IComponent
    {
        readonly IComponent _inner = definition.Build();
        public int Dimension => _inner.Dimension;
        public void Sample(RandomStream rng, Span<double> x) => _inner.Sample(rng, x);
        public double LogDensity(ReadOnlySpan<double> x, Smoothing smoothing, Span<double> score)
        {
            double l = _inner.LogDensity(x, smoothing, score);
            for (int k = 0; k < score.Length; k++) score[k] *= 1.01;
            return l;
        }
        public double[] Mean(Smoothing smoothing) => _inner.Mean(smoothing);
        public double[] Covariance(Smoothing smoothing) => _inner.Covariance(smoothing);
        public double MarginalCdf(int coordinate, double value, Smoothing smoothing) => _inner.MarginalCdf(coordinate, value, smoothing);
    }

    /// <summary>Langevin whose noise is keyed by the position in the chunk, not the particle's global index.</summary>
    sealed record ChunkDependent : SamplerDefinition
    {
        public override string KindName => "chunk-dependent";
        public override ISampler CreateSampler() => new Sampler();
        public override SamplerDefinition WithStepScale(double factor) => this;

        sealed class Sampler : ISampler
        {
            public int Steps => 10;
            public void Run(IScoreSource score, Points particles, long firstParticle, CounterNoise noise, Action<int, Points>? record)
            {
                var s = new double[particles.Data.Length];
                var z = new double[particles.Data.Length];
                record?.Invoke(0, particles);
                for (int t = 1; t <= Steps; t++)
                {
                    score.Score(particles.Data, score.Sigma, s);
                    noise.Fill(z, 0, particles.Dimension, t); // the bug: 0 instead of firstParticle
                    for (int i = 0; i < s.Length; i++) particles.Data[i] += 0.05 * s[i] + Math.Sqrt(0.1) * z[i];
                    record?.Invoke(t, particles);
                }
            }
            public LangevinMove? MoveAt(int step, double scoreSigma) => new(0.1, scoreSigma);
        }
    }
}
