using System.Text.Json;
using Json.Schema;

namespace Repro.Core.Tests;

/// <summary>experiments/schema.json, built once, as a yes/no verdict on definition text.</summary>
public static class DefinitionSchema
{
    static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(RepoPaths.Schema)));

    /// <summary>
    /// Null when the text is valid against the schema, else a short description of the failures.
    /// Text that is not JSON at all is refused too: the schema library cannot evaluate it.
    /// </summary>
    public static string? Problems(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return "not JSON: " + e.Message;
        }
        using (document)
        {
            var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (results.IsValid) return null;
            var errors = (results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"));
            return string.Join("; ", errors.DefaultIfEmpty("invalid"));
        }
    }
}
