using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The readers of one polymorphic part of a definition (components, samplers, starts, …), keyed
/// by their JSON <c>kind</c>, each with the valid instances (examples) that the catalog-wide tests
/// run, so that a new kind is covered by those tests without a test edit. Registering a kind twice
/// throws at start-up.
/// </summary>
public sealed class Registry<T>
{
    readonly Dictionary<string, (Func<ObjectReader, T> Read, string[] Examples)> _kinds = new(StringComparer.Ordinal);

    /// <summary>What the registry holds, for messages ("component", "sampler").</summary>
    public string What { get; }

    /// <summary>Creates an empty registry.</summary>
    public Registry(string what) => What = what;

    /// <summary>Registers the reader of one kind and its example instances (JSON objects).</summary>
    /// <exception cref="InvalidOperationException">The kind is registered already.</exception>
    public Registry<T> Add(string kind, Func<ObjectReader, T> read, params string[] examples)
    {
        if (!_kinds.TryAdd(kind, (read, examples)))
            throw new InvalidOperationException($"{What} kind \"{kind}\" is registered twice");
        return this;
    }

    /// <summary>A copy of this registry with one more kind (a test's throwaway kind, a plug-in's own set).</summary>
    public Registry<T> With(string kind, Func<ObjectReader, T> read, params string[] examples)
    {
        var copy = new Registry<T>(What);
        foreach (var (k, v) in _kinds) copy._kinds.Add(k, v);
        return copy.Add(kind, read, examples);
    }

    /// <summary>The registered kinds.</summary>
    public IEnumerable<string> Kinds => _kinds.Keys;

    /// <summary>The example instances (JSON) registered with <paramref name="kind"/>.</summary>
    public IReadOnlyList<string> Examples(string kind) => _kinds[kind].Examples;

    /// <summary>Reads example <paramref name="index"/> of <paramref name="kind"/> (as if it were a definition's object).</summary>
    /// <exception cref="DefinitionException">The example is not valid (a registration bug).</exception>
    public T ReadExample(string kind, int index = 0)
    {
        string name = $"{What} {kind} example {index}";
        var parser = new PositionedJsonParser(System.Text.Encoding.UTF8.GetBytes(Examples(kind)[index]), name);
        return Read(new ObjectReader(parser, parser.Parse(), "$"));
    }

    /// <summary>
    /// Reads the kind named by <paramref name="key"/> from an object that also holds other fields
    /// (<c>training.objective</c> and its parameters): the reader takes its own fields and leaves
    /// the rest, and the caller finishes the object.
    /// </summary>
    public T ReadInline(ObjectReader reader, string key) => _kinds[reader.Kind(_kinds.Keys, key)].Read(reader);

    /// <summary>Reads an object whose <c>kind</c> picks the reader; refuses unknown kinds and keys.</summary>
    public T Read(ObjectReader reader)
    {
        string kind = reader.Kind(_kinds.Keys);
        T value = _kinds[kind].Read(reader);
        reader.Done();
        return value;
    }
}
