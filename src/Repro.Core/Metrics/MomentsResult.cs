namespace Repro.Core.Metrics;

/// <summary>Moment errors of a sample against a reference (another sample or exact moments).</summary>
/// <param name="MeanError">‖μ̂ − μ_ref‖₂ (a length).</param>
/// <param name="CovarianceErrorFrobenius">‖Σ̂ − Σ_ref‖_F (length²).</param>
/// <param name="CovarianceErrorRelative">‖Σ̂ − Σ_ref‖_F / ‖Σ_ref‖_F (dimensionless).</param>
/// <param name="VarianceRatio">Σ̂_kk / Σ_ref,kk per coordinate (dimensionless).</param>
/// <param name="SkewnessDifference">g₁ − g₁,ref per coordinate, or null when the reference gives none.</param>
/// <param name="ExcessKurtosisDifference">g₂ − g₂,ref per coordinate, or null when the reference gives none.</param>
public sealed record MomentsResult(
    double MeanError,
    double CovarianceErrorFrobenius,
    double CovarianceErrorRelative,
    IReadOnlyList<double> VarianceRatio,
    IReadOnlyList<double>? SkewnessDifference,
    IReadOnlyList<double>? ExcessKurtosisDifference);
