namespace Repro.Core.Definitions.Json;

/// <summary>"Did you mean": the closest candidate to a mistyped key or name.</summary>
public static class Spelling
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/> by case-insensitive Levenshtein distance, when
    /// within a third of the input's length (at least 2 edits); null when none is that close.
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates.Distinct(StringComparer.Ordinal))
        {
            if (c == input) continue;
            int distance = Distance(input.ToLowerInvariant(), c.ToLowerInvariant());
            if (distance < bestDistance) (best, bestDistance) = (c, distance);
        }
        return bestDistance <= Math.Max(2, input.Length / 3) ? best : null;
    }

    /// <summary><paramref name="text"/> followed by " (did you mean "X"?)" when a candidate is close, else unchanged.</summary>
    public static string WithSuggestion(string text, string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } near ? $"{text} (did you mean \"{near}\"?)" : text;

    // Levenshtein distance, two rows.
    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
