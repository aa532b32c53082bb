namespace Repro.Reporting;

/// <summary>One claim of the seed report beside what was measured, with a verdict and its evidence.</summary>
/// <param name="Number">The claim's number in the list.</param>
/// <param name="Text">The claim, quoted or paraphrased, with its figure or section.</param>
/// <param name="Measured">What Repro measured (mean ± 95% interval over seeds).</param>
/// <param name="Verdict">holds / does not hold / holds only against p_σ / not assessed.</param>
/// <param name="Evidence">Markdown links to the metric rows and figures.</param>
public sealed record Claim(int Number, string Text, string Measured, string Verdict, string Evidence);
