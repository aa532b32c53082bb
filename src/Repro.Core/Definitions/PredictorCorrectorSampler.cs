using Repro.Core.Definitions.Json;
using Repro.Core.Schedules;

namespace Repro.Core.Definitions;

/// <summary>
/// Predictor–corrector over a schedule (<see cref="Sampling.PredictorCorrector"/>): corrector moves
/// first, then the predictor, at each grid time; per-sample signal-to-noise step.
/// <c>{ kind: "predictor-corrector", schedule, steps, correctorSteps?, snr, denoise? }</c>.
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
        new Sampling.PredictorCorrector(Schedule, Intervals, CorrectorSteps, SignalToNoise, Denoise, Rule);

    /// <summary>
    /// The corrector's step rule: per sample for every definition; batch-averaged only as the deliberate
    /// <see cref="Sampling.SamplerDefect.BatchAveragedCorrector"/>.
    /// </summary>
    public Sampling.CorrectorStepRule Rule { get; init; } = Sampling.CorrectorStepRule.PerSample;

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => Denoise ? 0 : Schedule.Sigma(Schedule.TimeMin) / Schedule.Scale(Schedule.TimeMin);

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { Intervals = ScheduleSteps.Scaled(Intervals, factor) };

    /// <inheritdoc/>
    public override SamplerDefinition WithDefect(Sampling.SamplerDefect defect) => defect switch
    {
        Sampling.SamplerDefect.WrongSchedule => this with { Schedule = Sampling.SamplerDefects.Mismatched(Schedule) },
        Sampling.SamplerDefect.BatchAveragedCorrector => this with { Rule = Sampling.CorrectorStepRule.BatchAveraged },
        _ => this,
    };

    /// <summary>Reads <c>{ kind, schedule, steps, correctorSteps?, snr, denoise? }</c> (one corrector step, no denoising by default).</summary>
    public static PredictorCorrectorSampler Read(ObjectReader r)
    {
        var schedule = Catalog.Schedules.Read(r.Object("schedule"));
        int steps = ScheduleSteps.Read(r, "steps");
        int corrector = (int)(r.OptionalInteger("correctorSteps", 1, 100) ?? 1);
        if ((long)steps * (corrector + 1) > Limits.MaxSteps)
            throw r.Error("correctorSteps", $"steps × (correctorSteps + 1) must be ≤ {Limits.MaxSteps} (got {steps} × {corrector + 1})");
        double snr = r.Number("snr", 0, 10, minExclusive: true);
        return new PredictorCorrectorSampler(schedule, steps, corrector, snr, r.Has("denoise") && r.Boolean("denoise"));
    }
}
