using Repro.Core.Definitions;

namespace Repro.Core.Tests.Kinds;

/// <summary>
/// The catalog-wide suites, over every registered kind and each of its examples: a new kind is covered
/// by registering it (with its example), with no edit here.
/// </summary>
public sealed class CatalogSuiteTests
{
    static TheoryData<string, int> Cases<T>(Registry<T> registry)
    {
        var data = new TheoryData<string, int>();
        foreach (string kind in registry.Kinds)
            for (int i = 0; i < registry.Examples(kind).Count; i++) data.Add(kind, i);
        return data;
    }

    public static TheoryData<string, int> Components() => Cases(Catalog.Components);

    public static TheoryData<string, int> Samplers() => Cases(Catalog.Samplers);

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_component_kind_passes_the_component_suite(string kind, int example) =>
        ComponentSuite.Check(Catalog.Components.ReadExample(kind, example), $"{kind} example {example}");

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Every_sampler_kind_passes_the_sampler_suite(string kind, int example) =>
        SamplerSuite.Check(Catalog.Samplers.ReadExample(kind, example), $"{kind} example {example}");

    [Fact]
    public void Every_kind_of_every_registry_registers_an_example_that_reads()
    {
        void All<T>(Registry<T> registry)
        {
            foreach (string kind in registry.Kinds)
            {
                Assert.True(registry.Examples(kind).Count > 0, $"{registry.What} kind \"{kind}\" registers no example: the catalog-wide suites cannot run it");
                for (int i = 0; i < registry.Examples(kind).Count; i++) Assert.NotNull(registry.ReadExample(kind, i));
            }
        }
        All(Catalog.Components);
        All(Catalog.Models);
        All(Catalog.Conditionings);
        All(Catalog.Starts);
        All(Catalog.Samplers);
        All(Catalog.Schedules);
    }
}
