using Repro.Core.Definitions.Json;
using Repro.Core.Schedules;

namespace Repro.Core.Definitions;

/// <summary>
/// Reverse-SDE Euler–Maruyama over a schedule (<see cref="Sampling.ReverseSde"/>):
/// <c>{ kind: "reverse-sde", schedule, steps, denoise? }</c>. Needs a noise-conditional score.
/// </summary>
public sealed record ReverseSdeSampler(Schedule Schedule, int Intervals, bool Denoise) : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "reverse-sde";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "reverse-sde", "schedule": { "kind": "ve", "sigmaMin": 0.05, "sigmaMax": 10 }, "steps": 20, "denoise": true }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalScore => true;

    /// <inheritdoc/>
    public override Sampling.ISampler CreateSampler() => new Sampling.ReverseSde(Schedule, Intervals, Denoise);

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => Denoise ? 0 : Schedule.Sigma(Schedule.TimeMin) / Schedule.Scale(Schedule.TimeMin);

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { Intervals = ScheduleSteps.Scaled(Intervals, factor) };

    /// <inheritdoc/>
    public override bool StepScaleSetsEvaluations => true;

    /// <inheritdoc/>
    public override SamplerDefinition WithDefect(Sampling.SamplerDefect defect) =>
        defect == Sampling.SamplerDefect.WrongSchedule ? this with { Schedule = Sampling.SamplerDefects.Mismatched(Schedule) } : this;

    /// <summary>Reads <c>{ kind, schedule, steps, denoise? }</c> (denoise defaults to false).</summary>
    public static ReverseSdeSampler Read(ObjectReader r) =>
        new(Catalog.Schedules.Read(r.Object("schedule")), ScheduleSteps.Read(r, "steps"), r.Has("denoise") && r.Boolean("denoise"));
}

/// <summary>Shared rules of the schedule samplers' step counts.</summary>
static class ScheduleSteps
{
    /// <summary>Grid intervals N, 1 to 100000.</summary>
    public static int Read(ObjectReader r, string key) => (int)r.Integer(key, 1, 100_000);

    /// <summary>The interval count when every step is <paramref name="factor"/> times longer (at least 1).</summary>
    public static int Scaled(int intervals, double factor) => Math.Max(1, (int)Math.Round(intervals / factor));
}
