using Repro.Core.Definitions.Json;

namespace Repro.Core.Definitions;

/// <summary>
/// The readers of one polymorphic part of a definition (components, samplers, starts, …), keyed
/// by their JSON <c>kind</c>. Registering a kind twice throws at start-up.
/// </summary>
public sealed class Registry<T>
{
    readonly Dictionary<string, Func<ObjectReader, T>> _readers = new(StringComparer.Ordinal);

    /// <summary>What the registry holds, for messages ("component", "sampler").</summary>
    public string What { get; }

    /// <summary>Creates an empty registry.</summary>
    public Registry(string what) => What = what;

    /// <summary>Registers the reader of one kind.</summary>
    public Registry<T> Add(string kind, Func<ObjectReader, T> read)
    {
        if (!_readers.TryAdd(kind, read))
            throw new InvalidOperationException($"{What} kind \"{kind}\" is registered twice");
        return this;
    }

    /// <summary>The registered kinds.</summary>
    public IEnumerable<string> Kinds => _readers.Keys;

    /// <summary>
    /// Reads the kind named by <paramref name="key"/> from an object that also holds other fields
    /// (<c>training.objective</c> and its parameters): the reader takes its own fields and leaves
    /// the rest, and the caller finishes the object.
    /// </summary>
    public T ReadInline(ObjectReader reader, string key) => _readers[reader.Kind(_readers.Keys, key)](reader);

    /// <summary>Reads an object whose <c>kind</c> picks the reader; refuses unknown kinds and keys.</summary>
    public T Read(ObjectReader reader)
    {
        string kind = reader.Kind(_readers.Keys);
        T value = _readers[kind](reader);
        reader.Done();
        return value;
    }
}
