namespace Repro.Core.Metrics;

/// <summary>The share of points assigned to one mixture component.</summary>
/// <param name="Count">Points whose largest responsibility is this component.</param>
/// <param name="Share">Count / n.</param>
/// <param name="WilsonLower">Lower end of the Wilson 95% score interval.</param>
/// <param name="WilsonUpper">Upper end of the Wilson 95% score interval.</param>
/// <param name="TrueWeight">The component's true weight.</param>
public sealed record ModeShare(int Count, double Share, double WilsonLower, double WilsonUpper, double TrueWeight);
