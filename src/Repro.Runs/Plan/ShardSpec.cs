using System.Globalization;
using Repro.Core;

namespace Repro.Runs.Plan;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as Slurm's <c>--array=1-N</c> numbers its tasks:
/// <c>--shard $SLURM_ARRAY_TASK_ID/N</c>).
/// </summary>
/// <param name="Index">1 ≤ Index ≤ Count.</param>
/// <param name="Count">Count ≥ 1.</param>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>Reads <c>i/N</c>.</summary>
    /// <exception cref="InputException">Not two whole numbers with 1 ≤ i ≤ N (one line naming <c>--shard</c>).</exception>
    public static ShardSpec Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new InputException($"--shard: must be i/N, two whole numbers with 1 ≤ i ≤ N, e.g. 1/4 (got \"{text}\")");
        if (n < 1) throw new InputException($"--shard: N must be ≥ 1 (got \"{text}\")");
        if (i < 1 || i > n) throw new InputException($"--shard: i must be between 1 and N = {n} (got \"{text}\"; shards are numbered from 1, like Slurm's --array=1-{n})");
        return new ShardSpec(i, n);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
