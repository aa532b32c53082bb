using Repro.Core.Numerics;
using Repro.Core.Sampling;
using Repro.Core.Schedules;

namespace Repro.Core.Targets;

/// <summary>
/// The error of a probability-flow likelihood estimate L̂(x) = log N(x_T) + ℓ against the exact log p₀(x),
/// split into three terms that add up to it point by point:
/// <list type="bullet">
/// <item>time floor: log p_ε(x) − log p₀(x), what stopping at ε costs even with a perfect solver (exact);</item>
/// <item>prior: log N(x_T; 0, s²I) − log p_T(x_T), the Gaussian stand-in against the exact p_T (exact, at the
/// latent the solver reached);</item>
/// <item>solver/estimator: log p_T(x_T) + ℓ − log p_ε(x), what the discretisation and the divergence
/// estimator add (zero for an exact flow).</item>
/// </list>
/// Each is reported as a mean over points with its standard error, so "does the decomposition close" is
/// a statement within Monte Carlo error: the solver term of an exact flow must be 0 within it.
/// </summary>
public sealed record LikelihoodDecomposition(
    double[] Total, double[] TimeFloor, double[] Prior, double[] Solver, double[] LogP0, double[] LogPEpsilon, double[] Estimate)
{
    /// <summary>Splits <paramref name="result"/> for the points <paramref name="x"/> of <paramref name="target"/> under <paramref name="schedule"/>.</summary>
    public static LikelihoodDecomposition Of(Mixture target, Schedule schedule, Points x, ProbabilityFlowLikelihood.Result result)
    {
        double[] logP0 = target.LogDensity(x, Smoothing.None);
        double[] logPEps = target.LogDensity(x, schedule.Marginal(schedule.TimeMin));
        double[] logPT = target.LogDensity(result.Latent, schedule.Marginal(schedule.TimeMax));
        double[] estimate = result.LogDensity;
        int n = x.Count;
        var total = new double[n];
        var floor = new double[n];
        var prior = new double[n];
        var solver = new double[n];
        for (int i = 0; i < n; i++)
        {
            total[i] = estimate[i] - logP0[i];
            floor[i] = logPEps[i] - logP0[i];
            prior[i] = result.LogPrior[i] - logPT[i];
            solver[i] = logPT[i] + result.DeltaLogDensity[i] - logPEps[i];
        }
        return new LikelihoodDecomposition(total, floor, prior, solver, logP0, logPEps, estimate);
    }

    /// <summary>Mean and standard error (sample sd/√n) of one term.</summary>
    public static (double Mean, double StandardError) Summary(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
