using Repro.Core.Schedules;

namespace Repro.Core.Sampling;

/// <summary>
/// The score of the schedule's marginal at time t from a σ-space score source:
/// ∇log p_t(x) = (1/a)·∇log p_{σ/a}(x/a) with a = a(t), σ = σ(t), since x_t = a·(x₀ + (σ/a)ε).
/// One instance per particle block (it owns a scratch buffer); when a = 1 the source is asked
/// directly, so VE and EDM runs see exactly the σ-space numbers.
/// </summary>
public sealed class ScheduledScore
{
    readonly IScoreSource _source;
    double[] _scaled = [];

    /// <summary>Wraps <paramref name="source"/> for <paramref name="schedule"/>.</summary>
    /// <exception cref="InvalidOperationException">The source answers at one σ only.</exception>
    public ScheduledScore(IScoreSource source, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(schedule);
        if (!source.IsNoiseConditional)
            throw new InvalidOperationException($"a {schedule.KindName} schedule needs a noise-conditional score (∇log p_σ at every level); this source answers at σ = {source.Sigma} only");
        _source = source;
        Schedule = schedule;
    }

    /// <summary>The schedule.</summary>
    public Schedule Schedule { get; }

    /// <summary>The wrapped σ-space source.</summary>
    public IScoreSource Source => _source;

    /// <summary>Writes ∇log p_t(x) for the n × d block <paramref name="x"/> into <paramref name="score"/>.</summary>
    public void At(ReadOnlySpan<double> x, double t, Span<double> score)
    {
        double a = Schedule.Scale(t), sigma = Schedule.Sigma(t);
        if (a == 1.0)
        {
            _source.Score(x, sigma, score);
            return;
        }
        if (_scaled.Length != x.Length) _scaled = new double[x.Length];
        for (int i = 0; i < x.Length; i++) _scaled[i] = x[i] / a;
        _source.Score(_scaled, sigma / a, score);
        for (int i = 0; i < score.Length; i++) score[i] /= a;
    }

    /// <summary>
    /// Ends a run at time t: either returns x_t/a(t), whose law is p_{σ(t)/a(t)} (σ-space, like
    /// every other sampler's output), or, when <paramref name="denoise"/>, the Tweedie mean
    /// E[x₀ | x_t] = (x_t + σ² ∇log p_t(x_t))/a (Efron 2011; EDM's final Euler step to σ = 0).
    /// Returns the score evaluations used (0 or 1).
    /// </summary>
    public int Finish(Span<double> x, double t, bool denoise, double[] buffer)
    {
        double a = Schedule.Scale(t), sigma = Schedule.Sigma(t);
        if (denoise)
        {
            At(x, t, buffer);
            for (int i = 0; i < x.Length; i++) x[i] = (x[i] + sigma * sigma * buffer[i]) / a;
            return 1;
        }
        if (a != 1.0)
            for (int i = 0; i < x.Length; i++) x[i] /= a;
        return 0;
    }
}
