using Repro.Core.Definitions;
using Repro.Core.Random;

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
        [(EgnnDefinition.Kind, NoConditioning.Kind)] = Typed<EgnnDefinition>((m, d, rng) => new EgnnScoreNet(d / 3, m.Hidden, m.Layers, rng) { NoiseConditional = false }),
    };

    static readonly Dictionary<string, Func<ObjectiveDefinition, ITrainingLoss>> Losses = new()
    {
        [DsmObjective.Kind] = o => new DsmLoss(o.Sigma),
        [ScheduleDsmObjective.Kind] = o => new ScheduleDsmLoss((ScheduleDsmObjective)o),
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

    /// <summary>The loss of <paramref name="objective"/>.</summary>
    /// <exception cref="InvalidOperationException">The objective's kind has no loss.</exception>
    public static ITrainingLoss Loss(ObjectiveDefinition objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Losses.TryGetValue(objective.KindName, out var loss)
            ? loss(objective)
            : throw new InvalidOperationException($"no loss for objective \"{objective.KindName}\"");
    }

    static Func<ModelDefinition, int, RandomStream, ScoreNetwork> Typed<T>(Func<T, int, RandomStream, ScoreNetwork> build) where T : ModelDefinition =>
        (m, d, rng) => build((T)m, d, rng);
}
