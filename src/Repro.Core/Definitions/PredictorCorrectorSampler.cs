using Repro.Core.Definitions.Json;
using Repro.Core.Schedules;

namespace Repro.Core.Definitions;

/// <summary>
/// Predictor–corrector over a schedule (<see cref="Sampling.PredictorCorrector"/>): corrector moves
/// first, then the predictor, at each grid time; per-sample signal-to-noise step, each corrector proposal
/// Metropolis-adjusted (MALA, the default) or accepted as it is (score_sde's unadjusted move, which keeps
/// p_t‖s_t‖² rather than p_t).
/// <c>{ kind: "predictor-corrector", schedule, steps, correctorSteps?, snr, corrector?: "mala" | "unadjusted", correctorSigmaMin?, denoise? }</c>.
/// </summary>
public sealed record PredictorCorrectorSampler(Schedule Schedule, int Intervals, int CorrectorSteps, double SignalToNoise, bool Denoise)
    : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "predictor-corrector";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "predictor-corrector", "schedule": { "kind": "vp", "betaMin": 0.1, "betaMax": 20 }, "steps": 10, "correctorSteps": 1, "snr": 0.16 }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalScore => true;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() =>
        new Sampling.PredictorCorrector(Schedule, Intervals, CorrectorSteps, SignalToNoise, Denoise, Rule, CorrectorSigmaMin);

    /// <summary>The corrector runs only where σ(t)/a(t) ≥ this (0, the default: at every grid time).</summary>
    public double CorrectorSigmaMin { get; init; }

    /// <summary>
    /// The corrector's step rule: per sample, Metropolis-adjusted (<c>"corrector": "mala"</c>, the default) or not
    /// (<c>"unadjusted"</c>); batch-averaged only as the deliberate <see cref="Sampling.SamplerDefect.BatchAveragedCorrector"/>.
    /// </summary>
    public Sampling.CorrectorStepRule Rule { get; init; } = Sampling.CorrectorStepRule.MetropolisAdjusted;

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => Denoise ? 0 : Schedule.Sigma(Schedule.TimeMin) / Schedule.Scale(Schedule.TimeMin);

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { Intervals = ScheduleSteps.Scaled(Intervals, factor) };

    /// <inheritdoc/>
    public override bool StepScaleSetsEvaluations => true;

    /// <inheritdoc/>
    public override SamplerDefinition WithDefect(Sampling.SamplerDefect defect) => defect switch
    {
        Sampling.SamplerDefect.WrongSchedule => this with { Schedule = Sampling.SamplerDefects.Mismatched(Schedule) },
        Sampling.SamplerDefect.BatchAveragedCorrector => this with { Rule = Sampling.CorrectorStepRule.BatchAveraged },
        _ => this,
    };

    /// <summary>Reads <c>{ kind, schedule, steps, correctorSteps?, snr, corrector?, correctorSigmaMin?, denoise? }</c> (one Metropolis-adjusted corrector step at every grid time, no denoising by default).</summary>
    public static PredictorCorrectorSampler Read(ObjectReader r)
    {
        var schedule = Catalog.Schedules.Read(r.Object("schedule"));
        int steps = ScheduleSteps.Read(r, "steps");
        int corrector = (int)(r.OptionalInteger("correctorSteps", 1, 100) ?? 1);
        if ((long)steps * (corrector + 1) > Limits.MaxSteps)
            throw r.Error("correctorSteps", $"steps × (correctorSteps + 1) must be ≤ {Limits.MaxSteps} (got {steps} × {corrector + 1})");
        double snr = r.Number("snr", 0, 10, minExclusive: true);
        var rule = r.Has("corrector") && r.Choice("corrector", "mala", "unadjusted") == "unadjusted"
            ? Sampling.CorrectorStepRule.PerSample
            : Sampling.CorrectorStepRule.MetropolisAdjusted;
        double sigmaMin = r.Has("correctorSigmaMin") ? r.Number("correctorSigmaMin", 0, 1e6) : 0;
        double top = schedule.Sigma(schedule.TimeMax) / schedule.Scale(schedule.TimeMax);
        if (sigmaMin > top)
            throw r.Error("correctorSigmaMin", $"must be ≤ the schedule's largest noise level σ(T)/a(T) = {top:G4}: above it no grid time gets a corrector move and the sampler is a reverse SDE (got {sigmaMin:R})");
        return new PredictorCorrectorSampler(schedule, steps, corrector, snr, r.Has("denoise") && r.Boolean("denoise"))
            { Rule = rule, CorrectorSigmaMin = sigmaMin };
    }
}
