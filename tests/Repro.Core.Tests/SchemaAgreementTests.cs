using Repro.Core.Definitions;

namespace Repro.Core.Tests;

public sealed class SchemaAgreementTests
{
    public static TheoryData<string> Experiments() => new(RepoPaths.Definitions(RepoPaths.Experiments).Select(Path.GetFileName)!);

    public static TheoryData<string> ValidFixtures() => new(RepoPaths.Definitions(Path.Combine(RepoPaths.Fixtures, "valid")).Select(Path.GetFileName)!);

    [Fact]
    public void The_experiments_folder_holds_the_experiments_the_claims_read_each_named_after_its_file()
    {
        // Properties of every definition, never their number: a user's added experiment keeps this green.
        var files = RepoPaths.Definitions(RepoPaths.Experiments);
        var names = files.Select(f => ExperimentDefinition.Load(f).Name).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Subset(names.ToHashSet(), new HashSet<string>(["dsm-1d-two-gaussians", "dsm-2d-blob-line", "dsm-2d-two-blobs", "ncsn-mode-weights"]));
    }

    [Fact]
    public void The_schema_is_a_valid_draft_2020_12_schema()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepoPaths.Schema));

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", document.RootElement.GetProperty("$schema").GetString());
        Assert.True(Json.Schema.MetaSchemas.Draft202012.Evaluate(document.RootElement).IsValid);
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Every_experiment_validates_against_the_schema_and_loads(string file)
    {
        string path = Path.Combine(RepoPaths.Experiments, file);

        Assert.Null(DefinitionSchema.Problems(File.ReadAllText(path)));
        var definition = ExperimentDefinition.Load(path);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), definition.Name);
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Every_experiment_declares_the_schema(string file)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Experiments, file)));

        Assert.Equal("./schema.json", document.RootElement.GetProperty("$schema").GetString());
    }

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void The_definitions_the_corpus_edits_pass_both_the_schema_and_the_loader(string file)
    {
        string path = Path.Combine(RepoPaths.Fixtures, "valid", file);

        Assert.Null(DefinitionSchema.Problems(File.ReadAllText(path)));
        ExperimentDefinition.Parse(File.ReadAllBytes(path), "valid/" + file);
    }

    [Theory]
    [MemberData(nameof(MalformedCorpus.Cases), MemberType = typeof(MalformedCorpus))]
    public void Schema_and_loader_agree_on_every_malformed_definition_the_schema_can_see(string name)
    {
        byte[] bytes = MalformedCorpus.Bytes(name);
        Assert.Throws<DefinitionException>(() => ExperimentDefinition.Parse(bytes, MalformedCorpus.DisplayPath(name)));

        string? problems = DefinitionSchema.Problems(System.Text.Encoding.UTF8.GetString(bytes));

        if (MalformedCorpus.SchemaBlind().TryGetValue(name + ".json", out string? reason))
            Assert.True(problems is null, $"{name}.json is listed as schema-blind ({reason}) but the schema refuses it: {problems}");
        else
            Assert.True(problems is not null, $"the loader refuses {name}.json but the schema accepts it");
    }

    [Fact]
    public void The_schema_blind_list_names_only_corpus_files_and_gives_reasons()
    {
        var names = MalformedCorpus.Names().Select(n => n + ".json").ToHashSet(StringComparer.Ordinal);

        foreach (var (file, reason) in MalformedCorpus.SchemaBlind())
        {
            Assert.Contains(file, names);
            Assert.NotEqual("", reason);
        }
    }
}
