using Repro.Core.Schedules;

namespace Repro.Core.Definitions;

/// <summary>
/// Every polymorphic part of a definition, registered by its JSON kind: one line per kind.
/// A new component, start, sampler, model, conditioning or objective is one file plus one line here
/// (and, for a trained model or an objective, one line in Repro.Training's network catalog).
/// </summary>
public static class Catalog
{
    /// <summary>Mixture components of a target.</summary>
    public static Registry<ComponentDefinition> Components { get; } = new Registry<ComponentDefinition>("component")
        .Add(GaussianDefinition.Kind, GaussianDefinition.Read)
        .Add(NoisySegmentDefinition.Kind, NoisySegmentDefinition.Read)
        .Add(NoisyShellDefinition.Kind, NoisyShellDefinition.Read)
        .Add(CentredGaussianCloudDefinition.Kind, CentredGaussianCloudDefinition.Read)
        .Add(RotatedTemplateDefinition.Kind, RotatedTemplateDefinition.Read);

    /// <summary>Score models.</summary>
    public static Registry<ModelDefinition> Models { get; } = new Registry<ModelDefinition>("model")
        .Add(MlpDefinition.Kind, MlpDefinition.Read)
        .Add(ExactModelDefinition.Kind, ExactModelDefinition.Read);

    /// <summary>How a trained model sees the noise level (<c>model.conditioning</c>).</summary>
    public static Registry<ConditioningDefinition> Conditionings { get; } = new Registry<ConditioningDefinition>("conditioning")
        .Add(NoConditioning.Kind, NoConditioning.Read);

    /// <summary>Training objectives (<c>training.objective</c>).</summary>
    public static Registry<ObjectiveDefinition> Objectives { get; } = new Registry<ObjectiveDefinition>("objective")
        .Add(DsmObjective.Kind, DsmObjective.Read);

    /// <summary>Starting points of reconstructions.</summary>
    public static Registry<StartDefinition> Starts { get; } = new Registry<StartDefinition>("start")
        .Add(ForwardNoisedStart.Kind, ForwardNoisedStart.Read)
        .Add(GaussianStart.Kind, GaussianStart.Read)
        .Add(UniformStart.Kind, UniformStart.Read);

    /// <summary>Samplers.</summary>
    public static Registry<SamplerDefinition> Samplers { get; } = new Registry<SamplerDefinition>("sampler")
        .Add(LangevinSampler.Kind, LangevinSampler.Read)
        .Add(AnnealedLangevinSampler.Kind, AnnealedLangevinSampler.Read)
        .Add(TweedieSampler.Kind, TweedieSampler.Read)
        .Add(ReverseSdeSampler.Kind, ReverseSdeSampler.Read)
        .Add(PredictorCorrectorSampler.Kind, PredictorCorrectorSampler.Read)
        .Add(ProbabilityFlowSampler.Kind, ProbabilityFlowSampler.Read);

    /// <summary>Diffusion noise schedules (a(t), σ(t)) of the schedule samplers and of <c>repro truth --t</c>.</summary>
    public static Registry<Schedule> Schedules { get; } = new Registry<Schedule>("schedule")
        .Add(VeSchedule.Kind, VeSchedule.Read)
        .Add(VpSchedule.Kind, VpSchedule.Read)
        .Add(EdmSchedule.Kind, EdmSchedule.Read);
}
