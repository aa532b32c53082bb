using System.Globalization;
using Repro.Core.Metrics;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Sampling;
using Repro.Core.Targets;

namespace Repro.Runs;

/// <summary>
/// Any score source (a user's TorchScript module, a state dict loaded into ScoreNet, the exact
/// truth) against an experiment's exact scores, at one or more noise levels σ: the relative L2
/// error and Fisher divergence against ∇log p_σ on fresh points of p_σ (where DSM at σ trains) and
/// against ∇log p₀ on fresh points of p₀ (what a sampler ultimately wants), and the error against
/// ∇log p_σ binned by the points' distance from the data.
/// </summary>
/// <remarks>
/// Every point is a fresh exact draw from <paramref name="rng"/>'s named children (<c>p-sigma/σ</c>,
/// <c>p0</c>, <c>data</c>), never a model's training set, so the errors are held-out estimates.
/// "The data" is a stand-in: <c>dataSize</c> fresh draws of p₀ (the experiment's training-set
/// size), since the user's own training set is not known. The same metric code as the harness's
/// own training check (<see cref="ScoreError"/>) computes every number.
/// </remarks>
public static class ScoreCheck
{
    /// <summary>Bin edges of the distance from the data, in units of σ.</summary>
    public static IReadOnlyList<double> DistanceEdges { get; } = [0, 0.25, 0.5, 1, 2, double.PositiveInfinity];

    /// <summary>Checks <paramref name="model"/> at each of <paramref name="sigmas"/> on <paramref name="points"/> points per law.</summary>
    /// <exception cref="ArgumentException">No σ, σ ≤ 0, fewer than 2 points, or a dimension mismatch.</exception>
    public static IReadOnlyList<ScoreCheckLevel> Run(IScoreSource model, Mixture target, IReadOnlyList<double> sigmas, int points, int dataSize, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        if (sigmas.Count == 0) throw new ArgumentException("at least one σ");
        if (sigmas.Any(s => !(s > 0 && double.IsFinite(s)))) throw new ArgumentException("every σ must be > 0");
        if (points < 2) throw new ArgumentException($"need ≥ 2 points (got {points})");
        if (model.Dimension != target.Dimension)
            throw new ArgumentException($"the model answers in d = {model.Dimension}, the target has d = {target.Dimension}");

        var p0 = target.Sample(points, rng.Child("p0"));
        var truth0 = target.Score(p0, Smoothing.None);
        var data = target.Sample(dataSize, rng.Child("data"));
        var levels = new List<ScoreCheckLevel>();
        foreach (double sigma in sigmas)
        {
            string key = sigma.ToString("R", CultureInfo.InvariantCulture);
            var x = target.Sample(points, Smoothing.Gaussian(sigma), rng.Child("p-sigma").Child(key));
            var learned = Evaluate(model, x, sigma);
            var truth = target.Score(x, Smoothing.Gaussian(sigma));
            var againstSigma = ScoreError.Compute(learned, truth);
            var againstP0 = ScoreError.Compute(Evaluate(model, p0, sigma), truth0);

            var distance = NearestDistance(x, data);
            var error = new double[x.Count];
            var truthNorm = new double[x.Count];
            for (int i = 0; i < x.Count; i++)
            {
                double e = 0, t = 0;
                for (int k = 0; k < x.Dimension; k++)
                {
                    double diff = learned.Data[i * x.Dimension + k] - truth.Data[i * x.Dimension + k];
                    e += diff * diff;
                    t += truth.Data[i * x.Dimension + k] * truth.Data[i * x.Dimension + k];
                }
                error[i] = e;
                truthNorm[i] = t;
            }
            var bins = new List<DistanceBin>();
            for (int b = 0; b + 1 < DistanceEdges.Count; b++)
            {
                double lo = DistanceEdges[b] * sigma, hi = DistanceEdges[b + 1] * sigma;
                double se = 0, st = 0;
                int count = 0;
                for (int i = 0; i < x.Count; i++)
                {
                    if (distance[i] < lo || distance[i] >= hi) continue;
                    se += error[i];
                    st += truthNorm[i];
                    count++;
                }
                bins.Add(new DistanceBin(lo, hi, count, count > 0 && st > 0 ? Math.Sqrt(se / st) : double.NaN));
            }
            levels.Add(new ScoreCheckLevel(sigma, points, dataSize, againstSigma, againstP0, bins, distance, error.Select(Math.Sqrt).ToArray()));
        }
        return levels;
    }

    /// <summary>s(x, σ) of a score source for a block of points.</summary>
    public static Points Evaluate(IScoreSource model, Points x, double sigma)
    {
        var s = Points.Zeros(x.Count, x.Dimension);
        model.Score(x.Data, sigma, s.Data);
        return s;
    }

    /// <summary>Euclidean distance from each row of <paramref name="x"/> to its nearest row of <paramref name="data"/>.</summary>
    static double[] NearestDistance(Points x, Points data)
    {
        int d = x.Dimension;
        var result = new double[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < data.Count; j++)
            {
                double dist = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = x.Data[i * d + k] - data.Data[j * d + k];
                    dist += diff * diff;
                }
                if (dist < best) best = dist;
            }
            result[i] = Math.Sqrt(best);
        }
        return result;
    }
}

/// <summary>The score error at one noise level σ.</summary>
/// <param name="Sigma">The noise level (the model was asked for s(x, σ)).</param>
/// <param name="Points">Fresh draws per law (p_σ and p₀).</param>
/// <param name="DataSize">Draws of p₀ standing in for the data in the distance bins.</param>
/// <param name="AgainstPSigma">s(x, σ) against ∇log p_σ on draws of p_σ.</param>
/// <param name="AgainstP0">s(x, σ) against ∇log p₀ on draws of p₀.</param>
/// <param name="Bins">Relative L2 error against ∇log p_σ by distance from the data.</param>
/// <param name="Distance">Per p_σ point: distance to the nearest data point (length units).</param>
/// <param name="Error">Per p_σ point: ‖s(x, σ) − ∇log p_σ(x)‖ (1/length).</param>
public sealed record ScoreCheckLevel(double Sigma, int Points, int DataSize, ScoreErrorResult AgainstPSigma, ScoreErrorResult AgainstP0,
    IReadOnlyList<DistanceBin> Bins, double[] Distance, double[] Error);

/// <summary>Points of p_σ whose distance from the data lies in [Lower, Upper), and their relative L2 error √(Σ‖s − ∇log p_σ‖² / Σ‖∇log p_σ‖²) (NaN when empty).</summary>
public sealed record DistanceBin(double Lower, double Upper, int Count, double RelativeL2);
