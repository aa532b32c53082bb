namespace Repro.Core.Metrics;

/// <summary>
/// Every metric kind, one line each; the order of the lines is the order of the rows in
/// <c>metrics.csv</c>. A new metric is one file (an <see cref="ISampleMetric"/> or
/// <see cref="IScoreSourceMetric"/>) plus one line here; the catalog-wide tests and the schema check
/// then cover it with no other edit.
/// </summary>
public static class MetricCatalog
{
    /// <summary>The registry every stage reads.</summary>
    public static MetricRegistry Default { get; } = Create();

    /// <summary>A fresh registry with every kind (tests add throwaway kinds to their own copy).</summary>
    public static MetricRegistry Create() => new MetricRegistry()
        .Add(new MmdMetric())
        .Add(new KsMetric())
        .Add(new SlicedKsMetric())
        .Add(new MomentsMetric())
        .Add(new ModeWeightsMetric())
        .Add(new KsdMetric())
        .Add(new ScoreErrorMetric())
        .Add(new ScoreErrorProfileMetric())
        .Add(new EquivarianceErrorMetric())
        .Add(new SymmetryFloorMetric())
        .Add(new TrainingLossMetric())
        .Add(new MetropolisRejectionMetric())
        .Add(new CentreOfMassDriftMetric())
        .Add(new StepLadderMetric())
        .Add(new ConformerValidityMetric())
        .Add(new HeldOutKsMetric())
        .Add(new MemorisationMetric())
        .Add(new OdeLikelihoodMetric());
}
