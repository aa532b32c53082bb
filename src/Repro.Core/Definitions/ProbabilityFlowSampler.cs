using Repro.Core.Definitions.Json;
using Repro.Core.Sampling;
using Repro.Core.Schedules;

namespace Repro.Core.Definitions;

/// <summary>
/// The probability-flow ODE over a schedule (<see cref="ProbabilityFlowOde"/>), Euler or Heun:
/// <c>{ kind: "probability-flow", schedule, steps, method, denoise? }</c>. No adaptive Runge–Kutta:
/// MathNet.Numerics 5.0 offers only fixed-step Runge–Kutta (orders 2 and 4) and Adams–Bashforth.
/// </summary>
public sealed record ProbabilityFlowSampler(Schedule Schedule, int Intervals, OdeMethod Method, bool Denoise) : SamplerDefinition
{
    /// <summary>JSON kind.</summary>
    public const string Kind = "probability-flow";

    /// <summary>A valid instance (JSON), read by the catalog-wide tests and shown in docs.</summary>
    public const string Example = """{ "kind": "probability-flow", "schedule": { "kind": "ve", "sigmaMin": 0.05, "sigmaMax": 10 }, "steps": 10, "method": "heun" }""";

    /// <inheritdoc/>
    public override string KindName => Kind;

    /// <inheritdoc/>
    public override bool NeedsNoiseConditionalScore => true;

    /// <inheritdoc/>
    public override ISampler CreateSampler() => new ProbabilityFlowOde(Schedule, Intervals, Method, Denoise) { Reversed = Reversed };

    /// <summary>The deliberate wrong-direction defect (<see cref="SamplerDefect.ReversedProbabilityFlow"/>); false for every definition.</summary>
    public bool Reversed { get; init; }

    /// <inheritdoc/>
    public override double TargetSigma(double scoreSigma) => Denoise ? 0 : Schedule.Sigma(Schedule.TimeMin) / Schedule.Scale(Schedule.TimeMin);

    /// <inheritdoc/>
    public override bool MakesLangevinMoves => false;

    /// <inheritdoc/>
    public override SamplerDefinition WithStepScale(double factor) => this with { Intervals = ScheduleSteps.Scaled(Intervals, factor) };

    /// <inheritdoc/>
    public override bool StepScaleSetsEvaluations => true;

    /// <inheritdoc/>
    public override SamplerDefinition WithDefect(SamplerDefect defect) => defect switch
    {
        SamplerDefect.WrongSchedule => this with { Schedule = SamplerDefects.Mismatched(Schedule) },
        SamplerDefect.ReversedProbabilityFlow => this with { Reversed = true },
        _ => this,
    };

    /// <summary>Reads <c>{ kind, schedule, steps, method: "euler" | "heun", denoise? }</c>.</summary>
    public static ProbabilityFlowSampler Read(ObjectReader r)
    {
        var schedule = Catalog.Schedules.Read(r.Object("schedule"));
        int steps = ScheduleSteps.Read(r, "steps");
        var method = r.Choice("method", "euler", "heun") == "heun" ? OdeMethod.Heun : OdeMethod.Euler;
        return new ProbabilityFlowSampler(schedule, steps, method, r.Has("denoise") && r.Boolean("denoise"));
    }
}
