using System.Text.Json;
using Repro.Core.Definitions;
using Repro.Core.Metrics;
using Repro.Core.Tests.Metrics;

namespace Repro.Core.Tests;

/// <summary>
/// experiments/schema.json cannot drift from the code: its metric enum is the metric registry's gateable
/// outputs, its training-metric rule the registry's training-scope outputs, and every kind enum (components,
/// models, conditionings, objectives, starts, samplers, schedules) the <see cref="Catalog"/>'s, each kind with
/// its own stanza where kinds have fields.
/// </summary>
/// <remarks>
/// Checked, not generated: the schema is hand-written prose (descriptions, per-kind field rules, cross-part
/// if/then rules) that no registry holds, so a generator would own only the enums and have to round-trip the
/// rest. The check names every name missing on either side, which is the edit to make.
/// </remarks>
public sealed class SchemaCatalogTests
{
    /// <summary>
    /// Where each catalog registry's kinds live in the schema: the object whose <c>enum</c> lists them, and
    /// the object whose <c>allOf</c> holds one <c>if kind const</c> stanza per kind (<c>if objective const</c> for
    /// objectives, whose name is the value of <c>training.objective</c>; null where a kind has no fields).
    /// </summary>
    static readonly (string What, string[] Enum, string[]? Stanzas, Func<IEnumerable<string>> Kinds)[] KindSections =
    [
        ("component", ["properties", "data", "properties", "components", "items", "properties", "kind"], ["properties", "data", "properties", "components", "items"], () => Catalog.Components.Kinds),
        ("model", ["properties", "model", "properties", "kind"], ["properties", "model"], () => Catalog.Models.Kinds),
        ("conditioning", ["properties", "model", "allOf", "0", "then", "properties", "conditioning", "properties", "kind"], ["properties", "model", "allOf", "0", "then", "properties", "conditioning"], () => Catalog.Conditionings.Kinds),
        ("objective", ["properties", "training", "properties", "objective"], ["properties", "training"], () => Catalog.Objectives.Kinds),
        ("start", ["properties", "reconstructions", "items", "properties", "start", "properties", "kind"], ["properties", "reconstructions", "items", "properties", "start"], () => Catalog.Starts.Kinds),
        ("sampler", ["properties", "reconstructions", "items", "properties", "sampler", "properties", "kind"], ["properties", "reconstructions", "items", "properties", "sampler"], () => Catalog.Samplers.Kinds),
        ("schedule", ["$defs", "schedule", "properties", "kind"], ["$defs", "schedule"], () => Catalog.Schedules.Kinds),
    ];

    static readonly string[] Gate = ["properties", "gates", "items"];

    /// <summary>The element at <paramref name="path"/> (object keys; a number indexes an array).</summary>
    static JsonElement At(JsonElement e, IEnumerable<string> path) =>
        path.Aggregate(e, (x, key) => x.ValueKind == JsonValueKind.Array ? x[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : x.GetProperty(key));

    static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()!);

    static IEnumerable<string> Differ(string where, IEnumerable<string> schema, IEnumerable<string> code)
    {
        var s = schema.ToHashSet(StringComparer.Ordinal);
        var c = code.ToHashSet(StringComparer.Ordinal);
        foreach (string name in c.Except(s).Order(StringComparer.Ordinal)) yield return $"{where}: \"{name}\" is registered but missing from the schema";
        foreach (string name in s.Except(c).Order(StringComparer.Ordinal)) yield return $"{where}: \"{name}\" is in the schema but nothing registers it";
    }

    /// <summary>
    /// Every disagreement between <paramref name="schema"/> and the registries, one line each;
    /// <paramref name="kinds"/> replaces the kinds of named sections (a registry with a test's
    /// throwaway kind), the others come from <see cref="Catalog"/>.
    /// </summary>
    public static IReadOnlyList<string> Problems(JsonElement schema, MetricRegistry metrics, IReadOnlyDictionary<string, IEnumerable<string>>? kinds = null)
    {
        var problems = new List<string>();
        var gate = At(schema, Gate);
        problems.AddRange(Differ("gates.metric enum", Strings(gate.GetProperty("properties").GetProperty("metric").GetProperty("enum")), metrics.GateableNames));
        var training = gate.GetProperty("allOf").EnumerateArray()
            .Single(rule => rule.GetProperty("then").GetProperty("properties").GetProperty("reconstruction").TryGetProperty("const", out var c) && c.GetString() == MetricNames.TrainingReconstruction);
        var trainingNames = metrics.Metrics.Where(m => m.Scope == MetricScope.Training).SelectMany(m => m.Outputs).Where(o => o.Gateable).Select(o => o.Name);
        problems.AddRange(Differ("gates training-metric rule", Strings(training.GetProperty("if").GetProperty("properties").GetProperty("metric").GetProperty("enum")), trainingNames));
        foreach (var (what, enumPath, stanzaPath, registered) in KindSections)
        {
            var names = kinds is not null && kinds.TryGetValue(what, out var given) ? given.ToArray() : registered().ToArray();
            problems.AddRange(Differ($"{what} kind enum", Strings(At(schema, enumPath).GetProperty("enum")), names));
            if (stanzaPath is null) continue;
            var stanzas = At(schema, stanzaPath).GetProperty("allOf").EnumerateArray()
                .Select(rule => rule.GetProperty("if").GetProperty("properties").EnumerateObject().Single().Value.GetProperty("const").GetString()!);
            problems.AddRange(Differ($"{what} per-kind stanzas (allOf if kind const)", stanzas, names));
        }
        // Every model stanza that takes a conditioning lists the conditioning kinds its backbone accepts (the section above reads the first).
        foreach (var rule in At(schema, ["properties", "model", "allOf"]).EnumerateArray())
            if (rule.GetProperty("then").GetProperty("properties").TryGetProperty("conditioning", out var conditioning))
            {
                string model = rule.GetProperty("if").GetProperty("properties").GetProperty("kind").GetProperty("const").GetString()!;
                var accepts = Catalog.Models.ReadExample(model);
                var names = (kinds is not null && kinds.TryGetValue("conditioning", out var given) ? given : Catalog.Conditionings.Kinds).Where(accepts.AcceptsConditioning);
                problems.AddRange(Differ($"conditioning kind enum of model \"{model}\"", Strings(At(conditioning, ["properties", "kind", "enum"])), names));
            }
        return problems;
    }

    internal static JsonElement Committed()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Schema));
        return document.RootElement.Clone();
    }

    [Fact]
    public void The_committed_schema_lists_exactly_the_registered_metrics_and_kinds()
    {
        Assert.Empty(Problems(Committed(), MetricCatalog.Default));
    }

    [Fact]
    public void A_metric_registered_but_not_in_the_schema_fails_the_check()
    {
        var problems = Problems(Committed(), MetricCatalog.Create().Add(new ThrowawayMetric()));

        Assert.Equal(["gates.metric enum: \"throwaway-mean-gap\" is registered but missing from the schema"], problems);
    }

    [Fact]
    public void A_name_in_the_schema_that_no_registration_produces_fails_the_check()
    {
        // The registry as it would be with the KSD registration forgotten.
        var forgotten = new MetricRegistry();
        foreach (var metric in MetricCatalog.Default.Metrics.Where(m => m.Kind != KsdMetric.KindName)) forgotten.Add(metric);

        Assert.Equal(["gates.metric enum: \"ksd-pvalue\" is in the schema but nothing registers it"], Problems(Committed(), forgotten));
    }

    [Fact]
    public void A_kind_missing_from_the_schema_fails_the_check()
    {
        var text = File.ReadAllText(RepoPaths.Schema).Replace("\"probability-flow\"", "\"probability-flow-typo\"");
        using var document = JsonDocument.Parse(text);

        var problems = Problems(document.RootElement, MetricCatalog.Default);

        Assert.Contains("sampler kind enum: \"probability-flow\" is registered but missing from the schema", problems);
        Assert.Contains("sampler per-kind stanzas (allOf if kind const): \"probability-flow-typo\" is in the schema but nothing registers it", problems);
    }

    [Fact]
    public void A_model_stanza_whose_conditioning_enum_lags_the_catalog_fails_the_check()
    {
        // The egnn stanza as it would be if the conditioning kind it accepts were left out of it.
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.Schema))!;
        var egnn = schema["properties"]!["model"]!["allOf"]!.AsArray()
            .Single(rule => (string?)rule!["if"]!["properties"]!["kind"]!["const"] == EgnnDefinition.Kind)!;
        egnn["then"]!["properties"]!["conditioning"]!["properties"]!["kind"]!["enum"] = new System.Text.Json.Nodes.JsonArray();
        using var document = JsonDocument.Parse(schema.ToJsonString());

        var problems = Problems(document.RootElement, MetricCatalog.Default);

        Assert.Equal(Catalog.Conditionings.Kinds.Where(Catalog.Models.ReadExample(EgnnDefinition.Kind).AcceptsConditioning).Select(k => $"conditioning kind enum of model \"egnn\": \"{k}\" is registered but missing from the schema").Order(StringComparer.Ordinal), problems);
    }
}
