using Repro.Core.Metrics;

namespace Repro.Core.Tests.Metrics;

/// <summary>The catalog-wide metric suite over <see cref="MetricCatalog.Default"/>: a new kind is covered with no edit here.</summary>
public sealed class MetricCatalogTests
{
    public static TheoryData<string, string> KindsAndLaws()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in MetricSuite.ComputedKinds(MetricCatalog.Default))
            foreach (string law in MetricSuite.Laws.Keys)
                data.Add(kind, law);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLaws))]
    public void Every_registered_metric_shows_its_null_behaviour_on_a_sample_of_the_law_or_says_why_it_is_skipped(string kind, string law)
    {
        MetricSuite.CheckNullBehaviour(MetricCatalog.Default.Kind(kind)!, law, seed: 20261129);
    }

    [Fact]
    public void Every_computed_metric_runs_on_at_least_one_law_of_the_suite()
    {
        foreach (string kind in MetricSuite.ComputedKinds(MetricCatalog.Default))
        {
            var metric = MetricCatalog.Default.Kind(kind)!;
            Assert.True(MetricSuite.Laws.Keys.Any(l => MetricRegistry.WhySkipped(metric, MetricSuite.Law(l, 10, new Random.RandomStream(1))) is null),
                $"{kind} is skipped on every law of the suite: add a law that meets its needs ({string.Join(", ", metric.Needs)})");
        }
    }

    [Fact]
    public void Every_registered_metric_computes_values_or_names_the_stage_that_measures_them()
    {
        foreach (var metric in MetricCatalog.Default.Metrics)
        {
            Assert.True(metric is ISampleMetric or IScoreSourceMetric or IReportedMetric { MeasuredBy.Length: > 0 }, metric.Kind);
            Assert.NotEmpty(metric.Outputs);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", metric.Kind);
            foreach (var output in metric.Outputs)
            {
                Assert.Matches(@"^[a-z0-9]+(-([a-z0-9]+|\{[a-z]\}))*$", output.Name);
                Assert.False(output.Gateable && output.IsPattern, $"{output.Name}: a gate names one value, not a pattern");
                Assert.NotEqual("", output.Description);
            }
        }
    }

    [Fact]
    public void Every_metric_kind_written_in_Core_is_registered()
    {
        // A metric file whose registration line was forgotten: nothing would compute it and no gate could name it.
        var kinds = typeof(IMetric).Assembly.GetTypes().Where(t => typeof(IMetric).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });
        var registered = MetricCatalog.Default.Metrics.Select(m => m.GetType()).ToHashSet();

        Assert.Empty(kinds.Where(t => !registered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Skipped_metrics_say_why_in_the_terms_of_the_law()
    {
        var oneD = MetricSuite.Law("1d-two-gaussians-p0", 10, new Random.RandomStream(1));
        var oneBlob = MetricSuite.Law("2d-one-blob-p0", 10, new Random.RandomStream(1));

        Assert.Equal("the data has one coordinate; projections need d ≥ 2", MetricRegistry.WhySkipped(MetricCatalog.Default.Kind("sliced-ks")!, oneD));
        Assert.Equal("the target has 1 component; mode weights need ≥ 2", MetricRegistry.WhySkipped(MetricCatalog.Default.Kind("mode-weights")!, oneBlob));
        Assert.Equal("needs an exact law: the reference is a sample", MetricRegistry.WhySkipped(MetricCatalog.Default.Kind("ksd")!, new ReferenceLaw(oneBlob.Sample)));
        Assert.Null(MetricRegistry.WhySkipped(MetricCatalog.Default.Kind("ks")!, new ReferenceLaw(oneBlob.Sample)));
    }

    [Fact]
    public void A_throwaway_metric_in_one_file_and_one_registration_is_picked_up_by_the_suite()
    {
        var registry = MetricCatalog.Create().Add(new ThrowawayMetric());

        Assert.Contains("throwaway", MetricSuite.ComputedKinds(registry));
        Assert.Contains("throwaway-mean-gap", registry.GateableNames);
        Assert.Equal(("throwaway", "throwaway-mean-gap"), (registry.Find("throwaway-mean-gap")!.Value.Metric.Kind, registry.Find("throwaway-mean-gap")!.Value.Output.Name));
        foreach (string law in MetricSuite.Laws.Keys)
            Assert.True(MetricSuite.CheckNullBehaviour(registry.Kind("throwaway")!, law, seed: 20261129));
        // Its rows follow the registered ones, in registration order.
        var values = registry.Sample(MetricSuite.Law("2d-one-blob-p0", 200, new Random.RandomStream(2)).Sample,
            MetricSuite.Law("2d-one-blob-p0", 200, new Random.RandomStream(3)), MetricSuite.Settings, new Random.RandomStream(4));
        Assert.Equal("throwaway-mean-gap", values[^1].Metric);
    }

    [Fact]
    public void The_suite_catches_a_metric_that_does_not_reach_its_null_level()
    {
        // A constant offset of 0.5 (the blob's standard deviation is 1): its error cannot shrink 2× from n = 50 to 800.
        var broken = new ThrowawayMetric(bias: 0.5);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => MetricSuite.CheckNullBehaviour(broken, "2d-one-blob-p0", seed: 20261129));
    }

    [Fact]
    public void A_kind_or_an_output_name_registered_twice_throws_at_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => MetricCatalog.Create().Add(new MmdMetric()));
        Assert.Throws<InvalidOperationException>(() => MetricCatalog.Create().Add(new ThrowawayMetric()).Add(new RenamedThrowaway()));
    }

    [Theory]
    [InlineData("mode-share-{c}", "mode-share-2", true)]
    [InlineData("mode-share-{c}", "mode-share-12", true)]
    [InlineData("mode-share-{c}", "mode-share-0", false)]
    [InlineData("mode-share-{c}", "mode-share-02", false)]
    [InlineData("mode-share-{c}", "mode-share-", false)]
    [InlineData("mode-weight-{c}-lower", "mode-weight-3-lower", true)]
    [InlineData("mode-weight-{c}", "mode-weight-3-lower", false)]
    [InlineData("mode-weight-{c}", "mode-weight-error", false)]
    [InlineData("mmd2", "mmd2", true)]
    [InlineData("mmd2", "mmd-pvalue", false)]
    public void A_pattern_matches_exactly_its_indices(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, new MetricOutput(pattern, "d").Matches(name));
    }

    [Fact]
    public void Every_row_name_the_evaluator_writes_belongs_to_one_registered_output()
    {
        var law = MetricSuite.Law("2d-blob-line-p-sigma", 300, new Random.RandomStream(5));
        var x = MetricSuite.Law("2d-blob-line-p-sigma", 300, new Random.RandomStream(6)).Sample;
        foreach (var (name, _) in MetricCatalog.Default.Sample(x, law, MetricSuite.Settings, new Random.RandomStream(7)))
            Assert.NotNull(MetricCatalog.Default.Find(name));
        Assert.Equal("mode-share-2", ModeWeightsMetric.Share.Format(2));
        Assert.Equal("variance-ratio-1", MomentsMetric.VarianceRatio.Format(1));
    }

    [Fact]
    public void Ksd_needs_a_full_dimensional_density_the_suite_shows_why()
    {
        // KSD's Stein identity integrates by parts in all d directions; on the zero-centre-of-mass cloud the
        // trace term keeps (d − (K − 1)·3)/h² · E k > 0 in the directions off the subspace, so KSD² of a sample
        // of the law does not go to 0. Without its declared need the suite catches it.
        var ksd = (ISampleMetric)MetricCatalog.Default.Kind(KsdMetric.KindName)!;
        Assert.Contains(MetricNeed.FullDimensionalDensity, ksd.Needs);
        Assert.False(MetricSuite.CheckNullBehaviour(ksd, "3d-centred-cloud-p-sigma", seed: 20261129));

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => MetricSuite.CheckNullBehaviour(new WithoutNeeds(ksd), "3d-centred-cloud-p-sigma", seed: 20261129));
    }

    /// <summary>A registered metric with its needs removed (to show a need is not decorative).</summary>
    sealed class WithoutNeeds(ISampleMetric inner) : ISampleMetric
    {
        public string Kind => inner.Kind;
        public string Description => inner.Description;
        public MetricScope Scope => inner.Scope;
        public IReadOnlyList<MetricOutput> Outputs => inner.Outputs;
        public IReadOnlyList<MetricNeed> Needs { get; } = [];
        public bool AgainstSample => inner.AgainstSample;
        public bool Resamples => inner.Resamples;
        public IEnumerable<(string Metric, double Value)> Compute(Numerics.Points x, ReferenceLaw law, MetricSettings settings, Random.RandomStream rng) =>
            inner.Compute(x, law, settings, rng);
    }

    sealed class RenamedThrowaway : ISampleMetric
    {
        public string Kind => "throwaway-2";
        public string Description => "collides with throwaway's output";
        public MetricScope Scope => MetricScope.Sample;
        public IReadOnlyList<MetricOutput> Outputs { get; } = [new("throwaway-mean-gap", "same name")];
        public IReadOnlyList<MetricNeed> Needs { get; } = [];
        public bool AgainstSample => true;
        public bool Resamples => false;
        public IEnumerable<(string Metric, double Value)> Compute(Numerics.Points x, ReferenceLaw law, MetricSettings settings, Random.RandomStream rng) => [];
    }
}
