using Repro.Core.Definitions.Json;

namespace Repro.Core.Schedules;

/// <summary>
/// Variance-exploding schedule (Song et al. 2021, eq. 30; NCSN's noise levels): a(t) = 1 and
/// σ(t) = σ_min (σ_max/σ_min)^t for t ∈ [0, 1], so σ runs geometrically from σ_min to σ_max;
/// f = 0 and g² = dσ²/dt = 2σ² ln(σ_max/σ_min). The prior is N(0, σ_max² I).
/// </summary>
/// <param name="SigmaMin">σ_min &gt; 0, the noise left at t = 0 (score_sde: 0.01).</param>
/// <param name="SigmaMax">σ_max &gt; σ_min; at least the data's largest pairwise distance (NCSNv2, Technique 1).</param>
public sealed record VeSchedule(double SigmaMin, double SigmaMax) : Schedule
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "ve";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "ve", "sigmaMin": 0.01, "sigmaMax": 20 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override double TimeMin => 0;

    /// <inheritdoc/>
    public override double TimeMax => 1;

    /// <inheritdoc/>
    public override double Scale(double t) => 1;

    /// <inheritdoc/>
    public override double ScaleDerivative(double t) => 0;

    /// <inheritdoc/>
    public override double Sigma(double t) => SigmaMin * Math.Pow(SigmaMax / SigmaMin, t);

    /// <inheritdoc/>
    public override double SigmaDerivative(double t) => Sigma(t) * Math.Log(SigmaMax / SigmaMin);

    /// <summary>Reads <c>{ kind, sigmaMin, sigmaMax }</c>.</summary>
    public static VeSchedule Read(ObjectReader r)
    {
        double min = r.Number("sigmaMin", 0, 1e4, minExclusive: true);
        double max = r.Number("sigmaMax", 0, 1e4, minExclusive: true);
        if (!(max > min)) throw r.Error("sigmaMax", $"must be > sigmaMin ({min}) (got {max})");
        return new VeSchedule(min, max);
    }
}
