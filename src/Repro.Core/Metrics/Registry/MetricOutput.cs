namespace Repro.Core.Metrics;

/// <summary>
/// One named value a registered metric produces, as it appears in <c>metrics.csv</c>. A name with an
/// index placeholder in braces (<c>mode-share-{c}</c>, <c>variance-ratio-{k}</c>) stands for one value
/// per mixture component c = 1..K or coordinate k = 1..d; <see cref="Format"/> spells one of them.
/// </summary>
/// <param name="Name">The name or pattern: lower-case words joined by '-', at most one <c>{i}</c> placeholder.</param>
/// <param name="Description">What the value is, with its unit or range.</param>
public sealed record MetricOutput(string Name, string Description)
{
    /// <summary>True when a gate may name it (fixed names only): it then appears in the schema's metric enum.</summary>
    public bool Gateable { get; init; }

    /// <summary>True for a p-value (uniform on [0, 1] under the reference law): verdicts in <c>repro stats</c> and <c>sample-check</c> read these.</summary>
    public bool IsPValue { get; init; }

    /// <summary>
    /// True when a gate threshold on it means the same at every sample size and training length, so a
    /// quick run (<c>--quick</c>: fewer particles, reference draws, permutations and training steps) is
    /// judged by it: every p-value (uniform on [0, 1] under a true null whatever n; super-uniform for a
    /// permutation or bootstrap p-value), and an output whose expectation is set by the law and the sampler
    /// alone and which says so (<c>mh-rejection</c>). A distance, error, ratio or loss excess is not: its null
    /// quantile widens as n shrinks (the KS distance's as 1/√n) and its model error grows with fewer steps,
    /// so a threshold calibrated at the full sizes does not hold its false-alarm share at quick ones.
    /// </summary>
    public bool SizeFree { get => IsPValue || _sizeFree; init => _sizeFree = value; }

    bool _sizeFree;

    /// <summary>
    /// The value it converges to for a sample of the reference law itself as n → ∞ (0 for a distance, 1
    /// for a variance ratio), or null when it has none (a p-value is uniform; a bandwidth or share depends
    /// on the law). The catalog-wide null test checks every output that declares one.
    /// </summary>
    public double? NullLevel { get; init; }

    /// <summary>True when the report's per-reconstruction table shows it (fixed names of sample metrics), beside its null baseline.</summary>
    public bool Headline { get; init; }

    /// <summary>True when <see cref="Name"/> holds an index placeholder.</summary>
    public bool IsPattern => Name.Contains('{');

    int Open => Name.IndexOf('{');

    int Close => Name.IndexOf('}');

    /// <summary>The name of the value with index <paramref name="index"/> (1-based): <c>mode-share-{c}</c>, 2 → <c>mode-share-2</c>.</summary>
    /// <exception cref="InvalidOperationException">The name is fixed.</exception>
    public string Format(int index)
    {
        if (!IsPattern) throw new InvalidOperationException($"metric output \"{Name}\" has no index");
        return string.Concat(Name.AsSpan(0, Open), index.ToString(System.Globalization.CultureInfo.InvariantCulture), Name.AsSpan(Close + 1));
    }

    /// <summary>True when <paramref name="name"/> is this output's name, or one index (≥ 1, no leading zero) of its pattern.</summary>
    public bool Matches(string name)
    {
        if (!IsPattern) return string.Equals(name, Name, StringComparison.Ordinal);
        string prefix = Name[..Open], suffix = Name[(Close + 1)..];
        if (name.Length <= prefix.Length + suffix.Length || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(suffix, StringComparison.Ordinal))
            return false;
        var digits = name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length);
        if (digits[0] == '0') return false;
        foreach (char c in digits)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
