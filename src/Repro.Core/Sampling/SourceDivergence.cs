namespace Repro.Core.Sampling;

/// <summary>
/// The divergence a score source gives of its own field (<see cref="IScoreDivergence"/>), at time t of a schedule:
/// since s_t(x) = (1/a)·s(x/a, σ/a) (<see cref="ScheduledScore"/>), ∇ₓ·s_t(x) = (1/a²)·(∇·s)(x/a, σ/a) with a = a(t),
/// σ = σ(t). For a learned network this is the exact divergence of the network itself (no probes), so the
/// likelihood's remaining error is the network's and the solver's alone.
/// </summary>
public sealed class SourceDivergence : DivergenceEstimator
{
    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The source gives no divergence of its own.</exception>
    public override void Divergence(ScheduledScore score, ReadOnlySpan<double> x, int dimension, double t, long firstParticle, Span<double> result)
    {
        ArgumentNullException.ThrowIfNull(score);
        var source = score.Source as IScoreDivergence
            ?? throw new InvalidOperationException($"the score source {score.Source.GetType().Name} gives no divergence of its own; use Hutchinson's estimator");
        double a = score.Schedule.Scale(t), sigma = score.Schedule.Sigma(t);
        if (a == 1.0)
        {
            source.Divergence(x, sigma, result);
            return;
        }
        var scaled = new double[x.Length];
        for (int i = 0; i < x.Length; i++) scaled[i] = x[i] / a;
        source.Divergence(scaled, sigma / a, result);
        for (int i = 0; i < result.Length; i++) result[i] /= a * a;
    }
}
