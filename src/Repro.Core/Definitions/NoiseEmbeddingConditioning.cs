using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// A noise-conditional network by EDM's preconditioning (Karras et al. 2022, eq. 7 and Table 1,
/// NVlabs/edm <c>EDMPrecond</c>): the backbone F sees c_in·x beside Fourier features of
/// c_noise = ¼ ln σ (score_sde's <c>GaussianFourierProjection</c>: fixed frequencies f_k ~ N(0, scale²),
/// features sin(2π f_k c_noise), cos(2π f_k c_noise)), and the denoiser is
/// D(x; σ) = c_skip·x + c_out·F with c_skip = σ_d²/(σ² + σ_d²), c_out = σσ_d/√(σ² + σ_d²),
/// c_in = 1/√(σ² + σ_d²). The score is (D − x)/σ² = −x/(σ² + σ_d²) + σ_d/(σ√(σ² + σ_d²))·F (Tweedie),
/// written without the cancellation of D − x. With F = 0 it is the exact score of N(0, σ_d² I) at every σ.
/// </summary>
/// <param name="SigmaData">σ_data &gt; 0, the data's standard deviation per coordinate (EDM: 0.5 for images in [−1, 1]).</param>
/// <param name="Frequencies">K ≥ 1 Fourier frequencies (2K features).</param>
/// <param name="Scale">Standard deviation of the frequencies, &gt; 0 (score_sde: 16 for t ∈ [0, 1]; c_noise spans about 2 units here).</param>
public sealed record NoiseEmbeddingConditioning(double SigmaData, int Frequencies, double Scale) : ConditioningDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "noise-embedding";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "noise-embedding", "sigmaData": 1, "frequencies": 8, "scale": 1 }""";

    /// <summary>Largest number of frequencies.</summary>
    public const int MaxFrequencies = 256;

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool IsNoiseConditional => true;

    /// <summary>Reads <c>{ kind, sigmaData, frequencies?, scale? }</c> (frequencies default 8, scale 1).</summary>
    public static NoiseEmbeddingConditioning Read(ObjectReader r)
    {
        double sigmaData = r.Number("sigmaData", 0, 1e4, minExclusive: true);
        int frequencies = (int)(r.OptionalInteger("frequencies", 1, MaxFrequencies) ?? 8);
        double scale = r.OptionalNumber("scale", 0, 1e3, minExclusive: true) ?? 1;
        return new NoiseEmbeddingConditioning(sigmaData, frequencies, scale);
    }
}
