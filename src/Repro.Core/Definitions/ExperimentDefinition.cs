using System.Security.Cryptography;
using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// One experiment, frozen after validation: the target, the score model and its training, the
/// reconstructions, the evaluation sizes, the gates, and the seeds. Read from
/// <c>experiments/NAME.json</c>; the schema beside it (<c>experiments/schema.json</c>) mirrors these rules.
/// </summary>
public sealed record ExperimentDefinition(
    string Name,
    string Description,
    string Reproduces,
    IReadOnlyList<long> Seeds,
    DataDefinition Data,
    ModelDefinition Model,
    TrainingDefinition? Training,
    IReadOnlyList<ReconstructionDefinition> Reconstructions,
    EvaluationDefinition Evaluation,
    IReadOnlyList<GateDefinition> Gates,
    QuickDefinition Quick)
{
    /// <summary>The file it was read from, as the user named it.</summary>
    public string SourceFile { get; init; } = "";

    /// <summary>
    /// What a stored result was made from: SHA-256 (hex) of the canonical form of the parts that shape
    /// numbers (<see cref="DefinitionIdentity"/>): editing a gate, a description or the seed list keeps it.
    /// </summary>
    public string Hash { get; init; } = "";

    /// <summary>One-at-a-time variations (σ, width) run beside it without gates; null when none.</summary>
    public SweepDefinition? Sweep { get; init; }

    /// <summary>The sweep's variants, each a full definition (empty without a sweep).</summary>
    public IReadOnlyList<SweepVariant> Variants() => Sweep?.Variants(this) ?? [];

    /// <summary>The σ of the training objective, or 0 when nothing is trained.</summary>
    public double TrainingSigma => Training?.Sigma ?? 0.0;

    /// <summary>The σ whose exact score a score source means (explicit, else the training σ).</summary>
    public double ScoreSigma(ScoreSourceDefinition score) => score.Sigma ?? TrainingSigma;

    /// <summary>Reads and validates a whole definition file.</summary>
    /// <exception cref="DefinitionException">The file is missing, malformed or invalid.</exception>
    public static ExperimentDefinition Load(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DefinitionException(file, 0, 0, "$", e is FileNotFoundException or DirectoryNotFoundException
                ? "file not found" : "cannot read the file: " + e.Message);
        }
        return Parse(bytes, file);
    }

    /// <summary>Parses and validates definition bytes; <paramref name="file"/> names them in errors.</summary>
    public static ExperimentDefinition Parse(byte[] utf8, string file)
    {
        var parser = new PositionedJsonParser(utf8, file);
        var r = new ObjectReader(parser, parser.Parse(), "$");

        r.OptionalString("$schema");
        string name = r.String("name", ReconstructionDefinition.NamePattern, "[a-z0-9-]+");
        string description = r.String("description");
        string reproduces = r.String("reproduces");
        long[] seeds = r.Integers("seeds", 1, Limits.MaxSeeds, 0, Limits.MaxSeed);
        for (int i = 1; i < seeds.Length; i++)
            if (Array.IndexOf(seeds, seeds[i], 0, i) >= 0)
                throw r.ItemError("seeds", i, $"seed {seeds[i]} is listed twice");
        var data = DataDefinition.Read(r.Object("data"));
        var model = Catalog.Models.Read(r.Object("model"));
        if (model.RefusesData(data) is { } dataReason) throw r.Object("model").Error("kind", dataReason);

        TrainingDefinition? training = null;
        if (model.IsTrained)
        {
            if (!r.Has("training")) throw r.Error("training", $"required field is missing (model.kind \"{model.KindName}\" is trained)");
            training = TrainingDefinition.Read(r.Object("training"));
            if (data.OnSubspace && !training.Objective.ProjectsNoise)
                // Full-space noise would leave the subspace and the loss floor would count d, not the
                // subspace's degrees of freedom: the loss-excess gate could not fail.
                throw r.Object("training").Error("objective",
                    $"\"{training.Objective.KindName}\" does not project its noise onto the zero-centre-of-mass subspace this data lives on (use objective \"dsm\")");
            if (training.Objective.NeedsNoiseConditionalModel && !model.IsNoiseConditional)
                throw r.Object("training").Error("objective",
                    $"\"{training.Objective.KindName}\" trains every noise level at once: it needs a noise-conditional model ({model.Describe()} is not)");
            if (training.BatchSize > data.N)
                throw r.Object("training").Error("batchSize", $"must be ≤ data.n ({data.N}) (got {training.BatchSize})");
        }
        else if (r.Has("training"))
        {
            throw r.Error("training", $"must be absent: model.kind \"{model.KindName}\" is not trained");
        }

        var reconstructions = r.Objects("reconstructions", ReconstructionDefinition.Read, 1, 64);
        var evaluation = EvaluationDefinition.Read(r.Object("evaluation"));
        var gates = r.Objects("gates", GateDefinition.Read, 0, 1000);
        var quick = QuickDefinition.Read(r.Object("quick"));
        SweepDefinition? sweep = null;
        if (r.OptionalObject("sweep") is { } sweepReader)
        {
            // Name the parameter that cannot vary: a σ-only sweep of an exact model is refused for its σ, not for a width.
            if (training is null && sweepReader.Has("sigma"))
                throw sweepReader.Error("sigma", $"a σ sweep retrains the network at each σ, and model.kind \"{model.KindName}\" trains nothing "
                    + "(its score is exact at every σ: give a reconstruction \"score\": { \"kind\": \"exact\", \"sigma\": S } to sample another p_σ)");
            if (model.Width is null && sweepReader.Has("hidden"))
                throw sweepReader.Error("hidden", $"a width sweep changes the network's hidden width, and model.kind \"{model.KindName}\" has none");
            if (training is null)
                throw r.Error("sweep", $"needs a trained model (model.kind is \"{model.KindName}\")");
            sweep = SweepDefinition.Read(sweepReader, training, model, reconstructions);
        }
        r.Done();

        var definition = new ExperimentDefinition(name, description, reproduces, seeds, data, model, training,
            reconstructions, evaluation, gates, quick)
        {
            SourceFile = file,
            Hash = DefinitionIdentity.WithExternalData(HashOf(utf8), data.Components.Select(c => c.ExternalIdentity)),
            Sweep = sweep,
        };
        definition.CheckConsistency(r);
        return definition;
    }

    /// <summary>Rules that span several parts of the definition.</summary>
    void CheckConsistency(ObjectReader r)
    {
        long d = Data.Dimension;
        string Memory(long n) => $"{n} × d = {n} × {d} = {n * d} float64 values ({n * d * 8.0 / (1 << 30):F1} GiB) exceeds the {Limits.MaxValues} (1 GiB) a block may hold";
        if (Data.N * d > Limits.MaxValues) throw r.Object("data").Error("n", Memory(Data.N));
        if (Evaluation.ReferenceSize * d > Limits.MaxValues) throw r.Object("evaluation").Error("referenceSize", Memory(Evaluation.ReferenceSize));
        for (int i = 0; i < Reconstructions.Count; i++)
            if (Reconstructions[i].Particles * d > Limits.MaxValues)
                throw r.Item("reconstructions", i).Error("particles", Memory(Reconstructions[i].Particles));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Reconstructions.Count; i++)
        {
            var rec = Reconstructions[i];
            if (!names.Add(rec.Name))
                throw r.Item("reconstructions", i).Error("name", $"\"{rec.Name}\" is used twice");
            if (rec.Name == MetricNames.TrainingReconstruction)
                throw r.Item("reconstructions", i).Error("name", $"\"{MetricNames.TrainingReconstruction}\" is reserved for training metrics");
            if (rec.Score.Source == ScoreSourceDefinition.Learned && !Model.IsTrained)
                throw r.Item("reconstructions", i).Object("score").Error("kind", $"\"learned\" needs a trained model (model.kind is \"{Model.KindName}\")");
            if (rec.Sampler.NeedsNoiseConditionalScore && rec.Score.Source == ScoreSourceDefinition.Learned && !Model.IsNoiseConditional)
                throw r.Item("reconstructions", i).Object("sampler").Error("kind",
                    $"\"{rec.Sampler.KindName}\" follows ∇log p_σ at many noise levels; {Model.Describe()} is a single-σ network (use score.kind \"exact\", or a model whose conditioning reads σ)");
            if (rec.Sampler.RefusesScoreSigma(ScoreSigma(rec.Score)) is { } sigmaReason)
                throw r.ItemError("reconstructions", i, sigmaReason);
            if (rec.Start.RefusesDimension(Data.Dimension) is { } dimensionReason)
                throw r.ItemError("reconstructions", i, dimensionReason);
        }
        for (int i = 0; i < Gates.Count; i++)
            if (GateCheck.Problem(this, Gates[i]) is { } problem)
                throw r.ItemError("gates", i, problem);
    }

    static string HashOf(byte[] utf8) => DefinitionIdentity.Of(utf8);

    /// <summary>
    /// Loads every <c>*.json</c> definition of a folder (the schema excepted) or one file, in name
    /// order; two files defining the same experiment name are refused.
    /// </summary>
    public static IReadOnlyList<ExperimentDefinition> LoadAll(string fileOrDirectory)
    {
        if (File.Exists(fileOrDirectory)) return [Load(fileOrDirectory)];
        if (!Directory.Exists(fileOrDirectory))
            throw new DefinitionException(fileOrDirectory, 0, 0, "$", "no such file or directory");
        var files = Directory.GetFiles(fileOrDirectory, "*.json")
            .Where(f => !Path.GetFileName(f).Equals("schema.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var definitions = new List<ExperimentDefinition>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            var definition = Load(file);
            if (byName.TryGetValue(definition.Name, out string? other))
            {
                var parser = new PositionedJsonParser(File.ReadAllBytes(file), file);
                long offset = FindNameOffset(parser);
                throw parser.Error(offset, "$.name", $"experiment \"{definition.Name}\" is also defined in {other}");
            }
            byName[definition.Name] = file;
            definitions.Add(definition);
        }
        return definitions;
    }

    static long FindNameOffset(PositionedJsonParser parser)
    {
        foreach (var (key, _, value) in parser.Parse().Members)
            if (key == "name") return value.Offset;
        return 0;
    }
}
