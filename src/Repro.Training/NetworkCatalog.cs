using Repro.Core.Definitions;
using Repro.Core.Random;
using Repro.Core.Targets;

namespace Repro.Training;

/// <summary>
/// The Training side of <see cref="Catalog"/>: for each trained model kind and conditioning, the builder
/// of its <see cref="ScoreNetwork"/>, and for each objective, its <see cref="ITrainingLoss"/>. One line
/// per kind; a test checks that every kind <see cref="Catalog"/> registers has its line here, so a
/// definition that validates can always be trained.
/// </summary>
public static class NetworkCatalog
{
    static readonly Dictionary<(string Model, string Conditioning), Func<ModelDefinition, int, RandomStream, ScoreNetwork>> Networks = new()
    {
        [(MlpDefinition.Kind, NoConditioning.Kind)] = Typed<MlpDefinition>((m, d, rng) => new ScoreNet(d, m.Hidden, m.Layers, rng)),
        [(MlpDefinition.Kind, NoiseEmbeddingConditioning.Kind)] = Typed<MlpDefinition>((m, d, rng) =>
            new PreconditionedScoreNet(d, m.Hidden, m.Layers, (NoiseEmbeddingConditioning)m.Conditioning, rng)),
        // K = d/3 points (the definition refuses data without a particle shape in R³); trained at one σ, it answers only there.
        [(EgnnDefinition.Kind, NoConditioning.Kind)] = Typed<EgnnDefinition>((m, d, rng) => new EgnnScoreNet(d / 3, m.Hidden, m.Layers, null, m.IndexFrequencies, rng) { NoiseConditional = false }),
        [(EgnnDefinition.Kind, NoiseEmbeddingConditioning.Kind)] = Typed<EgnnDefinition>((m, d, rng) =>
            new EgnnScoreNet(d / 3, m.Hidden, m.Layers, (NoiseEmbeddingConditioning)m.Conditioning, m.IndexFrequencies, rng)),
    };

    /// <summary>Each objective's loss, given the projection of noise onto the data's state space (null on all of R^d).</summary>
    static readonly Dictionary<string, Func<ObjectiveDefinition, NoiseProjection?, ITrainingLoss>> Losses = new()
    {
        [DsmObjective.Kind] = (o, projection) => new DsmLoss(o.Sigma) { Projection = projection },
        [ScheduleDsmObjective.Kind] = (o, projection) => new ScheduleDsmLoss((ScheduleDsmObjective)o) { Projection = projection },
    };

    /// <summary>The (model kind, conditioning kind) pairs that have a builder.</summary>
    public static IEnumerable<(string Model, string Conditioning)> NetworkKinds => Networks.Keys;

    /// <summary>The objective kinds that have a loss.</summary>
    public static IEnumerable<string> ObjectiveKinds => Losses.Keys;

    /// <summary>
    /// A freshly initialised network for <paramref name="model"/> on points of dimension
    /// <paramref name="dimension"/>, its weights drawn from <paramref name="rng"/> (the seed's <c>init</c> stream).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not trained, or its kind has no builder.</exception>
    public static ScoreNetwork Build(ModelDefinition model, int dimension, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Networks.TryGetValue((model.KindName, model.Conditioning.KindName), out var build))
            throw new InvalidOperationException(
                $"no network for model.kind \"{model.KindName}\" with conditioning \"{model.Conditioning.KindName}\" (registered: {string.Join(", ", Networks.Keys)})");
        return build(model, dimension, rng);
    }

    /// <summary>
    /// The network <see cref="Build"/> makes for an <c>egnn</c> model, with a deliberate <paramref name="defect"/>
    /// (<see cref="EgnnDefect"/>; <c>repro calibrate --runs</c> only), from the same <paramref name="rng"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not an unconditioned <c>egnn</c>.</exception>
    public static ScoreNetwork BuildWithDefect(ModelDefinition model, int dimension, EgnnDefect defect, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not EgnnDefinition egnn || model.Conditioning.KindName != NoConditioning.Kind)
            throw new InvalidOperationException($"an EGNN defect needs model.kind \"{EgnnDefinition.Kind}\" without conditioning (got \"{model.KindName}\")");
        return new EgnnScoreNet(dimension / 3, egnn.Hidden, egnn.Layers, defect, rng) { NoiseConditional = false };
    }

    /// <summary>
    /// The network <see cref="Build"/> makes for an <c>mlp</c> with a <c>noise-embedding</c>, with the deliberate defect
    /// <see cref="PreconditionedScoreNet.ConstantNoiseLabel"/> (<c>repro calibrate --runs</c> only), from the same <paramref name="rng"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not an <c>mlp</c> with a noise embedding.</exception>
    public static ScoreNetwork BuildWithConstantNoiseLabel(ModelDefinition model, int dimension, RandomStream rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not MlpDefinition mlp || model.Conditioning is not NoiseEmbeddingConditioning embedding)
            throw new InvalidOperationException($"a constant noise label needs model.kind \"{MlpDefinition.Kind}\" with conditioning \"{NoiseEmbeddingConditioning.Kind}\" (got \"{model.KindName}\" with \"{model.Conditioning.KindName}\")");
        return new PreconditionedScoreNet(dimension, mlp.Hidden, mlp.Layers, embedding, rng) { ConstantNoiseLabel = true };
    }

    /// <summary>
    /// The loss of <paramref name="objective"/>, its noise projected by <paramref name="projection"/> when the
    /// data lives on a subspace (only objectives that declare <see cref="ObjectiveDefinition.ProjectsNoise"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The objective's kind has no loss, or cannot project its noise.</exception>
    public static ITrainingLoss Loss(ObjectiveDefinition objective, NoiseProjection? projection = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (projection is not null && !objective.ProjectsNoise)
            throw new InvalidOperationException($"objective \"{objective.KindName}\" does not project its noise onto a subspace");
        return Losses.TryGetValue(objective.KindName, out var loss)
            ? loss(objective, projection)
            : throw new InvalidOperationException($"no loss for objective \"{objective.KindName}\"");
    }

    static Func<ModelDefinition, int, RandomStream, ScoreNetwork> Typed<T>(Func<T, int, RandomStream, ScoreNetwork> build) where T : ModelDefinition =>
        (m, d, rng) => build((T)m, d, rng);
}
