namespace Repro.Core.Metrics;

/// <summary>How a Kolmogorov–Smirnov p-value was computed (SciPy's <c>method</c>).</summary>
public enum KsMethod
{
    /// <summary>Exact null distribution of the statistic.</summary>
    Exact,

    /// <summary>
    /// Two-sample only: SciPy's 'asymp', <c>kstwo.sf(D, round(nm/(n+m)))</c>, used when max(n, m) &gt; 10000 or
    /// the exact lattice-path computation failed.
    /// </summary>
    Asymptotic,
}
