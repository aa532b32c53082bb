using Repro.Core.Definitions;

namespace Repro.Core.Tests;

public sealed class LoadAllTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("repro-loadall-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Two_files_defining_the_same_experiment_are_refused_and_nothing_is_written()
    {
        string valid = Path.Combine(RepoPaths.Fixtures, "valid", "exact.json");
        string first = Path.Combine(_folder, "a.json");
        string second = Path.Combine(_folder, "b.json");
        File.Copy(valid, first);
        File.Copy(valid, second);
        File.WriteAllText(Path.Combine(_folder, "schema.json"), "not a definition, and skipped");
        var before = Snapshot();

        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.LoadAll(_folder));

        Assert.Equal($"{second}:3:11: $.name: experiment \"fixture-exact\" is also defined in {first}", e.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_folder_loads_its_definitions_in_name_order_without_the_schema()
    {
        File.Copy(Path.Combine(RepoPaths.Fixtures, "valid", "trained.json"), Path.Combine(_folder, "b.json"));
        File.Copy(Path.Combine(RepoPaths.Fixtures, "valid", "exact.json"), Path.Combine(_folder, "a.json"));
        File.WriteAllText(Path.Combine(_folder, "schema.json"), "{}");

        var names = ExperimentDefinition.LoadAll(_folder).Select(d => d.Name);

        Assert.Equal(["fixture-exact", "fixture-trained"], names);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_refused()
    {
        string path = Path.Combine(_folder, "nothing-here");

        var e = Assert.Throws<DefinitionException>(() => ExperimentDefinition.LoadAll(path));

        Assert.Equal($"{path}: no such file or directory", e.Message);
    }

    string[] Snapshot() => Directory.GetFileSystemEntries(_folder, "*", SearchOption.AllDirectories)
        .Select(f => $"{f} {(File.Exists(f) ? new FileInfo(f).Length : -1)}")
        .Order(StringComparer.Ordinal)
        .ToArray();
}
