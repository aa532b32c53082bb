namespace Repro.Core.Metrics;

/// <summary>One mixture component's recovered weight: the mean responsibility (what the test uses) and the arg-max share (a description).</summary>
/// <param name="MeanResponsibility">(1/n) Σ_i r_k(x_i); its expectation under the reference law is exactly the weight.</param>
/// <param name="Lower">Lower end of the 95% normal interval r̄_k ± 1.96 s_k/√n, clamped to [0, 1].</param>
/// <param name="Upper">Upper end of that interval.</param>
/// <param name="Count">Points whose largest responsibility is this component (first on ties).</param>
/// <param name="Share">Count / n: equals the weight in expectation only for components that do not overlap.</param>
/// <param name="WilsonLower">Lower end of the Wilson 95% score interval of the share.</param>
/// <param name="WilsonUpper">Upper end of the Wilson 95% score interval of the share.</param>
/// <param name="TrueWeight">The component's weight in the reference law.</param>
public sealed record ModeShare(double MeanResponsibility, double Lower, double Upper, int Count, double Share,
    double WilsonLower, double WilsonUpper, double TrueWeight);
