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
        .Add(GaussianDefinition.Kind, GaussianDefinition.Read, GaussianDefinition.Example)
        .Add(NoisySegmentDefinition.Kind, NoisySegmentDefinition.Read, NoisySegmentDefinition.Example)
        .Add(NoisyShellDefinition.Kind, NoisyShellDefinition.Read, NoisyShellDefinition.Example)
        .Add(CentredGaussianCloudDefinition.Kind, CentredGaussianCloudDefinition.Read, CentredGaussianCloudDefinition.Example)
        .Add(RotatedTemplateDefinition.Kind, RotatedTemplateDefinition.Read, RotatedTemplateDefinition.Example)
        .Add(EnsembleDefinition.Kind, EnsembleDefinition.Read, EnsembleDefinition.Example);

    /// <summary>Score models.</summary>
    public static Registry<ModelDefinition> Models { get; } = new Registry<ModelDefinition>("model")
        .Add(MlpDefinition.Kind, MlpDefinition.Read, MlpDefinition.Example)
        .Add(EgnnDefinition.Kind, EgnnDefinition.Read, EgnnDefinition.Example)
        .Add(ExactModelDefinition.Kind, ExactModelDefinition.Read, ExactModelDefinition.Example);

    /// <summary>How a trained model sees the noise level (<c>model.conditioning</c>).</summary>
    public static Registry<ConditioningDefinition> Conditionings { get; } = new Registry<ConditioningDefinition>("conditioning")
        .Add(NoConditioning.Kind, NoConditioning.Read, NoConditioning.Example)
        .Add(NoiseEmbeddingConditioning.Kind, NoiseEmbeddingConditioning.Read, NoiseEmbeddingConditioning.Example);

    /// <summary>Training objectives (<c>training.objective</c>).</summary>
    public static Registry<ObjectiveDefinition> Objectives { get; } = new Registry<ObjectiveDefinition>("objective")
        .Add(DsmObjective.Kind, DsmObjective.Read)
        .Add(ScheduleDsmObjective.Kind, ScheduleDsmObjective.Read);

    /// <summary>Starting points of reconstructions.</summary>
    public static Registry<StartDefinition> Starts { get; } = new Registry<StartDefinition>("start")
        .Add(ForwardNoisedStart.Kind, ForwardNoisedStart.Read, ForwardNoisedStart.Example)
        .Add(GaussianStart.Kind, GaussianStart.Read, GaussianStart.Example)
        .Add(UniformStart.Kind, UniformStart.Read, UniformStart.Example);

    /// <summary>Samplers.</summary>
    public static Registry<SamplerDefinition> Samplers { get; } = new Registry<SamplerDefinition>("sampler")
        .Add(LangevinSampler.Kind, LangevinSampler.Read, LangevinSampler.Example)
        .Add(AnnealedLangevinSampler.Kind, AnnealedLangevinSampler.Read, AnnealedLangevinSampler.Example)
        .Add(TweedieSampler.Kind, TweedieSampler.Read, TweedieSampler.Example)
        .Add(ReverseSdeSampler.Kind, ReverseSdeSampler.Read, ReverseSdeSampler.Example)
        .Add(PredictorCorrectorSampler.Kind, PredictorCorrectorSampler.Read, PredictorCorrectorSampler.Example)
        .Add(ProbabilityFlowSampler.Kind, ProbabilityFlowSampler.Read, ProbabilityFlowSampler.Example);

    /// <summary>Diffusion noise schedules (a(t), σ(t)) of the schedule samplers and of <c>repro truth --t</c>.</summary>
    public static Registry<Schedule> Schedules { get; } = new Registry<Schedule>("schedule")
        .Add(VeSchedule.Kind, VeSchedule.Read, VeSchedule.Example)
        .Add(VpSchedule.Kind, VpSchedule.Read, VpSchedule.Example)
        .Add(EdmSchedule.Kind, EdmSchedule.Read, EdmSchedule.Example);
}
