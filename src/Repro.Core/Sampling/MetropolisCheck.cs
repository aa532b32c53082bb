using Repro.Core.Numerics;
using Repro.Core.Targets;

namespace Repro.Core.Sampling;

/// <summary>
/// How far a Langevin sampler's step is from exact: for every move x → x′ it made, the
/// probability that a Metropolis–Hastings correction (MALA; Roberts &amp; Tweedie 1996) would have
/// rejected it under the exact law p_σ,
/// <code>1 − min(1, p_σ(x′) q(x | x′) / (p_σ(x) q(x′ | x))),  q(b | a) = N(b; a + (η/2)∇log p_σ(a), η I).</code>
/// Unadjusted Langevin's stationary bias vanishes with this rejection, which scales as η^{3/2};
/// unlike a distance between samples it has almost no Monte Carlo noise, so it sees a step that
/// is too large long before the samples' variance does (η/(4s²) for N(μ, s²)).
/// </summary>
/// <remarks>
/// Sums are kept per particle and added in particle order at the end, so the result does not
/// depend on how the particles were chunked. Moves whose score is not the exact one are still
/// judged with the exact proposal density, so the value is meant for exact-score runs.
/// </remarks>
public sealed class MetropolisCheck
{
    readonly Mixture _target;
    readonly ISampler _sampler;
    readonly double _scoreSigma;
    readonly double[] _rejection;
    readonly int[] _moves;

    /// <summary>A check of <paramref name="sampler"/>'s moves on <paramref name="particles"/> particles of <paramref name="target"/>.</summary>
    public MetropolisCheck(Mixture target, ISampler sampler, double scoreSigma, int particles)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(particles);
        _target = target;
        _sampler = sampler;
        _scoreSigma = scoreSigma;
        _rejection = new double[particles];
        _moves = new int[particles];
    }

    /// <summary>Mean rejection probability over every particle's Langevin moves (NaN when there were none).</summary>
    public double MeanRejection
    {
        get
        {
            double sum = 0;
            long moves = 0;
            for (int i = 0; i < _rejection.Length; i++) { sum += _rejection[i]; moves += _moves[i]; }
            return moves == 0 ? double.NaN : sum / moves;
        }
    }

    /// <summary>
    /// A <see cref="ISampler.Run"/> record callback for the particles <paramref name="first"/> onward
    /// of one chunk: it needs every step, starting with step 0.
    /// </summary>
    public Action<int, Points> Observer(int first)
    {
        Points? previous = null;
        double previousSigma = double.NaN;
        double[] previousLog = [];
        Points? previousScore = null;
        int lastStep = -1;
        return (step, x) =>
        {
            if (step != lastStep + 1)
                throw new InvalidOperationException($"the Metropolis check needs every step: got {step} after {lastStep}");
            lastStep = step;
            var move = step == 0 ? null : _sampler.MoveAt(step, _scoreSigma);
            if (move is { } m && previous is not null)
            {
                var smoothing = Smoothing.Gaussian(m.Sigma);
                if (previousScore is null || previousSigma != m.Sigma)
                    (previousLog, previousScore) = _target.LogDensityAndScore(previous, smoothing);
                var (log, score) = _target.LogDensityAndScore(x, smoothing);
                Accumulate(first, m.StepSize, previous, previousLog, previousScore, x, log, score);
                (previousLog, previousScore, previousSigma) = (log, score, m.Sigma);
            }
            else previousScore = null;
            previous = x.Clone();
        };
    }

    void Accumulate(int first, double eta, Points from, double[] logFrom, Points scoreFrom, Points to, double[] logTo, Points scoreTo)
    {
        int d = from.Dimension;
        double half = eta / 2;
        for (int i = 0; i < from.Count; i++)
        {
            // log q(x′ | x) − log q(x | x′), each −|b − a − (η/2) s(a)|² / (2η).
            double forward = 0, backward = 0;
            for (int k = 0; k < d; k++)
            {
                double a = from.Data[i * d + k], b = to.Data[i * d + k];
                double f = b - a - half * scoreFrom.Data[i * d + k];
                double r = a - b - half * scoreTo.Data[i * d + k];
                forward += f * f;
                backward += r * r;
            }
            double logRatio = logTo[i] - logFrom[i] - (backward - forward) / (2 * eta);
            // A move out of every support is always rejected; one from outside is always accepted.
            double rejection = double.IsNegativeInfinity(logFrom[i]) ? 0
                : double.IsNaN(logRatio) || double.IsNegativeInfinity(logTo[i]) ? 1
                : logRatio >= 0 ? 0 : 1 - Math.Exp(logRatio);
            _rejection[first + i] += rejection;
            _moves[first + i]++;
        }
    }
}
