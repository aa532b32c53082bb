using Repro.Core.Definitions.Json;

namespace Repro.Core.Schedules;

/// <summary>
/// Variance-preserving schedule (Song et al. 2021, eq. 32–33; score_sde's <c>VPSDE</c>): β(t) =
/// β_min + t(β_max − β_min) on t ∈ [ε, 1], a(t) = exp(−½∫₀ᵗβ) = exp(−¼t²(β_max − β_min) − ½tβ_min),
/// σ(t) = √(1 − a²); f = −β/2, g² = β. The prior is N(0, I).
/// </summary>
/// <param name="BetaMin">β_min ≥ 0 (score_sde: 0.1).</param>
/// <param name="BetaMax">β_max &gt; β_min (score_sde: 20).</param>
/// <param name="Epsilon">ε ∈ (0, 1), the time floor (score_sde's sampling eps: 1e-3); σ(ε) ≈ √(β_min ε).</param>
public sealed record VpSchedule(double BetaMin, double BetaMax, double Epsilon) : Schedule
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "vp";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "vp", "betaMin": 0.1, "betaMax": 20 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override double TimeMin => Epsilon;

    /// <inheritdoc/>
    public override double TimeMax => 1;

    /// <inheritdoc/>
    public override double PriorStd => 1;

    /// <summary>β(t) = β_min + t(β_max − β_min).</summary>
    public double Beta(double t) => BetaMin + t * (BetaMax - BetaMin);

    /// <summary>log a(t) = −½∫₀ᵗβ.</summary>
    double LogScale(double t) => -0.25 * t * t * (BetaMax - BetaMin) - 0.5 * t * BetaMin;

    /// <inheritdoc/>
    public override double Scale(double t) => Math.Exp(LogScale(t));

    /// <inheritdoc/>
    public override double ScaleDerivative(double t) => -0.5 * Beta(t) * Scale(t);

    /// <inheritdoc/>
    /// <remarks>√(−expm1(2 log a)), exact where a is close to 1.</remarks>
    public override double Sigma(double t) => Math.Sqrt(-Expm1(2 * LogScale(t)));

    /// <inheritdoc/>
    /// <remarks>σ′ = −a a′/σ = ½β a²/σ.</remarks>
    public override double SigmaDerivative(double t)
    {
        double a = Scale(t);
        return 0.5 * Beta(t) * a * a / Sigma(t);
    }

    /// <summary>exp(x) − 1 without cancellation for small |x| (Kahan's trick).</summary>
    static double Expm1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        return um1 * x / Math.Log(u);
    }

    /// <summary>Reads <c>{ kind, betaMin, betaMax, epsilon? }</c> (ε defaults to 1e-3).</summary>
    public static VpSchedule Read(ObjectReader r)
    {
        double min = r.Number("betaMin", 0, 1e3);
        double max = r.Number("betaMax", 0, 1e3, minExclusive: true);
        if (!(max > min)) throw r.Error("betaMax", $"must be > betaMin ({min}) (got {max})");
        double eps = r.OptionalNumber("epsilon", 0, 0.5, minExclusive: true) ?? 1e-3;
        if (!(min * eps + 0.5 * (max - min) * eps * eps > 0))
            throw r.Error("epsilon", "σ(ε) must be > 0: with betaMin = 0 the noise at the floor vanishes to machine precision");
        return new VpSchedule(min, max, eps);
    }
}
