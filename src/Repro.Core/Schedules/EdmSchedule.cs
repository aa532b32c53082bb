using Repro.Core.Definitions.Json;

namespace Repro.Core.Schedules;

/// <summary>
/// Karras et al. 2022 (EDM) schedule: a(t) = 1 and σ(t) = t on t ∈ [σ_min, σ_max], so f = 0,
/// g² = 2t and the probability-flow ODE is dx/dt = −t ∇log p_t(x) (EDM eq. 4 with s = 1). The
/// sampling grid is EDM's eq. 5, σᵢ = (σ_max^{1/ρ} + i/N (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, i = 0..N
/// (it ends at σ_min: EDM's extra step to σ = 0 is left to a final denoising step). The prior is
/// N(0, σ_max² I).
/// </summary>
/// <param name="SigmaMin">σ_min &gt; 0 (EDM: 0.002).</param>
/// <param name="SigmaMax">σ_max &gt; σ_min (EDM: 80); at least the data's largest pairwise distance.</param>
/// <param name="Rho">ρ ≥ 1, the grid's curvature (EDM: 7; 1 is uniform in σ).</param>
public sealed record EdmSchedule(double SigmaMin, double SigmaMax, double Rho) : Schedule
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "edm";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "edm", "sigmaMin": 0.002, "sigmaMax": 80, "rho": 7 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override double TimeMin => SigmaMin;

    /// <inheritdoc/>
    public override double TimeMax => SigmaMax;

    /// <inheritdoc/>
    public override double Scale(double t) => 1;

    /// <inheritdoc/>
    public override double ScaleDerivative(double t) => 0;

    /// <inheritdoc/>
    public override double Sigma(double t) => t;

    /// <inheritdoc/>
    public override double SigmaDerivative(double t) => 1;

    /// <inheritdoc/>
    public override double[] TimeGrid(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var t = new double[steps + 1];
        double hi = Math.Pow(SigmaMax, 1 / Rho), lo = Math.Pow(SigmaMin, 1 / Rho);
        for (int i = 0; i <= steps; i++) t[i] = Math.Pow(hi + (double)i / steps * (lo - hi), Rho);
        (t[0], t[steps]) = (SigmaMax, SigmaMin);
        return t;
    }

    /// <summary>Reads <c>{ kind, sigmaMin, sigmaMax, rho? }</c> (ρ defaults to 7).</summary>
    public static EdmSchedule Read(ObjectReader r)
    {
        double min = r.Number("sigmaMin", 0, 1e4, minExclusive: true);
        double max = r.Number("sigmaMax", 0, 1e4, minExclusive: true);
        if (!(max > min)) throw r.Error("sigmaMax", $"must be > sigmaMin ({min}) (got {max})");
        double rho = r.OptionalNumber("rho", 1, 100) ?? 7;
        return new EdmSchedule(min, max, rho);
    }
}
