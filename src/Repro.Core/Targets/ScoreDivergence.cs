using Repro.Core.Numerics;

namespace Repro.Core.Targets;

/// <summary>
/// The divergence of a mixture's exact score, ∇·∇log p(x) = Δ log p(x), under any <see cref="Smoothing"/>:
/// with responsibilities r_k and component scores s_k,
/// Δ log p = Σ_k r_k (Δ log p_k + ‖s_k‖²) − ‖Σ_k r_k s_k‖² (from Δp/p = Δ log p + ‖∇log p‖², applied to
/// p and to each p_k). Each component supplies Δ log p_k (closed form for every kind that has one).
/// This is the exact divergence term of the probability-flow likelihood (Song et al. 2021, eq. 39).
/// </summary>
public static class ScoreDivergence
{
    /// <summary>Δ log p at every row of <paramref name="x"/>; 0 outside every support.</summary>
    /// <param name="target">The mixture.</param>
    /// <param name="x">n × d points.</param>
    /// <param name="smoothing">The law's (a, σ); <c>new Smoothing(a(t), σ(t))</c> gives ∇·∇log p_t.</param>
    public static double[] Of(Mixture target, Points x, Smoothing smoothing)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Dimension != target.Dimension)
            throw new ArgumentException($"points have dimension {x.Dimension}, mixture has {target.Dimension}", nameof(x));
        int d = target.Dimension, m = target.Components.Count;
        var result = new double[x.Count];
        // Fixed chunks, each writing its own rows: bit-identical for any thread count.
        const int chunk = 256;
        Parallel.For(0, (x.Count + chunk - 1) / chunk, c =>
        {
            var logs = new double[m];
            var scores = new double[m * d];
            var laplacians = new double[m];
            var mean = new double[d];
            for (int i = c * chunk; i < Math.Min(x.Count, (c + 1) * chunk); i++)
            {
                var row = x.Row(i);
                double max = double.NegativeInfinity;
                for (int k = 0; k < m; k++)
                {
                    double w = target.Weights[k];
                    if (w == 0) { logs[k] = double.NegativeInfinity; continue; }
                    logs[k] = Math.Log(w) + target.Components[k].LogDensity(row, smoothing, scores.AsSpan(k * d, d));
                    if (double.IsNegativeInfinity(logs[k])) continue;
                    laplacians[k] = target.Components[k].LaplacianOfLogDensity(row, smoothing);
                    max = Math.Max(max, logs[k]);
                }
                if (double.IsNegativeInfinity(max)) { result[i] = 0; continue; }
                double total = 0;
                for (int k = 0; k < m; k++) total += Math.Exp(logs[k] - max);
                Array.Clear(mean);
                double sum = 0;
                for (int k = 0; k < m; k++)
                {
                    if (double.IsNegativeInfinity(logs[k])) continue;
                    double r = Math.Exp(logs[k] - max) / total, norm = 0;
                    for (int j = 0; j < d; j++)
                    {
                        double s = scores[k * d + j];
                        norm += s * s;
                        mean[j] += r * s;
                    }
                    sum += r * (laplacians[k] + norm);
                }
                for (int j = 0; j < d; j++) sum -= mean[j] * mean[j];
                result[i] = sum;
            }
        });
        return result;
    }
}
