namespace Repro.Core.Metrics;

/// <summary>Mode-weight recovery: per-component shares and a test of the true weights.</summary>
/// <param name="Modes">One entry per component k = 0..K−1.</param>
/// <param name="Total">Number n of points.</param>
/// <param name="Statistic">K = 2: the count of component 0; K &gt; 2: Pearson's χ² = Σ (O − E)²/E.</param>
/// <param name="PValue">K = 2: exact two-sided binomial p (<c>scipy.stats.binomtest</c>); K &gt; 2: χ²_{K−1} survival (<c>scipy.stats.chisquare</c>).</param>
/// <param name="Test">"binomial" or "chi-square".</param>
public sealed record ModeWeightsResult(IReadOnlyList<ModeShare> Modes, int Total, double Statistic, double PValue, string Test);
