using Repro.Core.Definitions;

namespace Repro.Core.Tests;

public sealed class MalformedDefinitionTests
{
    [Theory]
    [MemberData(nameof(MalformedCorpus.Cases), MemberType = typeof(MalformedCorpus))]
    public void Every_malformed_definition_fails_with_its_message(string name)
    {
        var e = Assert.Throws<DefinitionException>(() =>
            ExperimentDefinition.Parse(MalformedCorpus.Bytes(name), MalformedCorpus.DisplayPath(name)));

        Assert.Equal(MalformedCorpus.Expected(name), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Every_corpus_definition_has_an_expected_message_and_every_message_a_definition()
    {
        var definitions = MalformedCorpus.Names().ToArray();
        var expected = Directory.GetFiles(MalformedCorpus.Folder, "*.expected")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(definitions, expected);
        Assert.True(definitions.Length >= 30, $"the corpus has {definitions.Length} definitions, fewer than 30");
    }

    [Fact]
    public void A_missing_file_fails_with_file_not_found()
    {
        string path = Path.Combine(MalformedCorpus.Folder, "does-not-exist.json");

        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.Load(path));

        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Fact]
    public void Loading_through_the_file_system_reports_the_path_as_given()
    {
        string path = Path.Combine(MalformedCorpus.Folder, "sigma-zero.json");

        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.Load(path));

        Assert.Equal(MalformedCorpus.Expected("sigma-zero").Replace("malformed/sigma-zero.json", path), e.Message);
    }
}
