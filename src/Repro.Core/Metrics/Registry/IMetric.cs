namespace Repro.Core.Metrics;

/// <summary>
/// A registered metric kind: its name, the values it produces, what it needs and what its rows describe.
/// Registered in <see cref="MetricCatalog"/>; the evaluator, <c>repro stats</c>, the gate names of the
/// definitions, the schema's metric enum and the report tables all read it from there.
/// </summary>
public interface IMetric
{
    /// <summary>The kind, lower-case words joined by '-' (<c>mmd</c>, <c>sliced-ks</c>): what <c>repro stats</c> takes as TEST.</summary>
    string Kind { get; }

    /// <summary>One line saying what it measures and where from (the paper or test).</summary>
    string Description { get; }

    /// <summary>What its rows describe: a sample, the trained score, or the sampler.</summary>
    MetricScope Scope { get; }

    /// <summary>Every value it produces, in the order its rows are written.</summary>
    IReadOnlyList<MetricOutput> Outputs { get; }

    /// <summary>What it needs of the law and of the experiment; it is skipped, with a reason, where one is missing.</summary>
    IReadOnlyList<MetricNeed> Needs { get; }
}
