using System.Globalization;
using System.Text;
using Repro.Core.Definitions;
using Repro.Core.Definitions.Json;
using Repro.Core.Targets;

namespace Repro.Core.Schedules;

/// <summary>
/// A diffusion noise schedule: the forward process x_t = a(t)·x₀ + σ(t)·ε, ε ~ N(0, I), for
/// t ∈ [<see cref="TimeMin"/>, <see cref="TimeMax"/>], as the linear SDE dx = f(t) x dt + g(t) dw
/// with f = a′/a and g² = 2σσ′ − 2fσ² (Song et al. 2021, eq. 5; Karras et al. 2022, eq. 4 with
/// s(t) = a, σ_EDM = σ/a). Its marginal at t is <see cref="Marginal"/>, and its score is
/// ∇log p_t(x) = (1/a)·∇log p_{σ/a}(x/a), so samplers over an <c>IScoreSource</c> (which answers in
/// σ-space, a = 1) never need to know which schedule they run.
/// </summary>
/// <remarks>
/// σ_max must make p_T indistinguishable from the Gaussian prior: at least the largest pairwise
/// distance between data points (Song &amp; Ermon 2020, NCSNv2, Technique 1), otherwise the reverse
/// process starts from the wrong law and cannot move mass between modes.
/// </remarks>
public abstract record Schedule
{
    /// <summary>The JSON kind.</summary>
    public abstract string KindName { get; }

    /// <summary>ε, the time floor where sampling stops and the likelihood starts.</summary>
    public abstract double TimeMin { get; }

    /// <summary>T, where sampling starts from the prior.</summary>
    public abstract double TimeMax { get; }

    /// <summary>a(t) &gt; 0, the scale of x₀ in x_t.</summary>
    public abstract double Scale(double t);

    /// <summary>a′(t) = da/dt.</summary>
    public abstract double ScaleDerivative(double t);

    /// <summary>σ(t) &gt; 0, the standard deviation of the noise in x_t (same units as x).</summary>
    public abstract double Sigma(double t);

    /// <summary>σ′(t) = dσ/dt.</summary>
    public abstract double SigmaDerivative(double t);

    /// <summary>Standard deviation of the Gaussian stand-in N(0, s²I) for p_T that sampling starts from.</summary>
    public virtual double PriorStd => Sigma(TimeMax);

    /// <summary>
    /// The sampling grid t₀ = T &gt; t₁ &gt; … &gt; t_N = ε for <paramref name="steps"/> = N steps;
    /// uniform in t unless the schedule says otherwise (score_sde's <c>linspace(T, eps, N)</c>).
    /// </summary>
    public virtual double[] TimeGrid(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) t[i] = TimeMax + (TimeMin - TimeMax) * i / steps;
        t[steps] = TimeMin;
        return t;
    }

    /// <summary>The law of x_t: <c>Smoothing(a(t), σ(t))</c> of p₀.</summary>
    public Smoothing Marginal(double t) => new(Scale(t), Sigma(t));

    /// <summary>f(t) = a′(t)/a(t), the drift coefficient of the forward SDE dx = f x dt + g dw.</summary>
    public double Drift(double t) => ScaleDerivative(t) / Scale(t);

    /// <summary>g²(t) = 2σσ′ − 2fσ², the squared diffusion coefficient of the forward SDE.</summary>
    public double DiffusionSquared(double t)
    {
        double s = Sigma(t);
        return 2 * s * SigmaDerivative(t) - 2 * Drift(t) * s * s;
    }

    /// <summary>
    /// Reads a schedule from its command-line form <c>KIND(key=value,…)</c>, e.g.
    /// <c>ve(sigmaMin=0.01,sigmaMax=50)</c>, with the same validation as in a definition file.
    /// </summary>
    /// <param name="text">The schedule as typed.</param>
    /// <param name="origin">What to call it in errors, e.g. <c>--schedule</c>.</param>
    /// <exception cref="DefinitionException">Malformed text, an unknown kind or an invalid parameter.</exception>
    public static Schedule Parse(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int open = s.IndexOf('(');
        string kind = open < 0 ? s : s[..open].Trim();
        var json = new StringBuilder("{\"kind\":").Append(JsonText.Quote(kind));
        if (open >= 0)
        {
            if (!s.EndsWith(')'))
                throw new DefinitionException(origin, 0, 0, "$", $"must look like KIND(key=value,...) (got {JsonText.Quote(text)})");
            string inner = s[(open + 1)..^1];
            foreach (string pair in inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0 || !double.TryParse(pair[(eq + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new DefinitionException(origin, 0, 0, "$", $"\"{pair}\" must be key=number");
                json.Append(',').Append(JsonText.Quote(pair[..eq].Trim())).Append(':')
                    .Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
            }
        }
        json.Append('}');
        var parser = new PositionedJsonParser(Encoding.UTF8.GetBytes(json.ToString()), origin);
        try
        {
            return Catalog.Schedules.Read(new ObjectReader(parser, parser.Parse(), "$"));
        }
        catch (DefinitionException e)
        {
            // Line and column would point into the JSON made here, not into what the user typed.
            throw new DefinitionException(origin, 0, 0, e.JsonPath, e.Reason);
        }
    }
}
