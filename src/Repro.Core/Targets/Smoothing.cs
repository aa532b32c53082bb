namespace Repro.Core.Targets;

/// <summary>
/// The law of x = a·x₀ + σ·ε with x₀ ~ p₀ and ε ~ N(0, I): <c>a = 1, σ = 0</c> is p₀ itself,
/// <c>a = 1</c> is the DSM-smoothed p_σ = p₀ ∗ N(0, σ²I), and <c>a = √α_t, σ = σ_t</c> is the
/// variance-preserving marginal of x_t = √α_t x₀ + σ_t ε.
/// </summary>
/// <param name="Scale">a ≥ 0 (√α_t); 1 for p₀ and p_σ.</param>
/// <param name="Sigma">σ ≥ 0, the standard deviation of the added isotropic Gaussian noise.</param>
public readonly record struct Smoothing(double Scale, double Sigma)
{
    /// <summary>p₀ itself.</summary>
    public static Smoothing None => new(1.0, 0.0);

    /// <summary>p_σ = p₀ ∗ N(0, σ²I).</summary>
    public static Smoothing Gaussian(double sigma) => new(1.0, sigma);

    /// <summary>The marginal of x_t = √α_t x₀ + σ_t ε.</summary>
    public static Smoothing VariancePreserving(double alpha, double sigma) => new(Math.Sqrt(alpha), sigma);

    /// <summary>True for p₀ (no scaling, no noise).</summary>
    public bool IsIdentity => Scale == 1.0 && Sigma == 0.0;
}
