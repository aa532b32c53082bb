namespace Repro.Core.Metrics;

/// <summary>A kernel Stein discrepancy goodness-of-fit test (IMQ kernel).</summary>
/// <param name="Ksd2">U-statistic KSD² (units of score², i.e. 1/length²; may be negative, reported as is).</param>
/// <param name="PValue">Wild-bootstrap p-value (1 + #{b : KSD²_b ≥ KSD²})/(1 + B).</param>
/// <param name="Bootstraps">Number B of Rademacher bootstrap draws.</param>
public sealed record KsdResult(double Ksd2, double PValue, int Bootstraps);
