using System.Security.Cryptography;
using System.Text;
using Repro.Core.Definitions;

namespace Repro.Runs.Plan;

/// <summary>
/// The units a run computes, in the order a one-process <c>repro run</c> takes them: the definitions in
/// the order given (a folder's in file-name order), each followed by its sweep variants, each of those
/// seed by seed. A shard is every N-th unit of that list (round robin), so shards are disjoint, together
/// exactly the plan, and as even in cost as the list's neighbours are alike (the seeds of one experiment
/// sit side by side and go to different shards).
/// </summary>
public sealed class RunPlan
{
    RunPlan(IReadOnlyList<RunUnit> units) => Units = units;

    /// <summary>Every unit, in run order.</summary>
    public IReadOnlyList<RunUnit> Units { get; }

    /// <summary>
    /// The plan of <paramref name="definitions"/>: each definition's seeds (or only <paramref name="onlySeeds"/>),
    /// followed by its sweep variants' unless <paramref name="sweep"/> is false.
    /// </summary>
    public static RunPlan Of(IEnumerable<ExperimentDefinition> definitions, IReadOnlyList<long>? onlySeeds, bool sweep, bool quick)
    {
        var units = new List<RunUnit>();
        foreach (var definition in definitions.SelectMany(d => (sweep ? d.Variants().Select(v => v.Definition) : []).Prepend(d)))
            foreach (long seed in onlySeeds ?? definition.Seeds)
                units.Add(new RunUnit(definition, seed, quick));
        return new RunPlan(units);
    }

    /// <summary>
    /// The plan's identity: SHA-256 (hex) of its unit identities in order. Every shard of one plan carries it,
    /// so <c>merge</c> can tell shards of different definitions, selections or builds of the plan apart.
    /// </summary>
    public string Id => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(Units.Select(u => u.Id + "\n")))));

    /// <summary>Shard <paramref name="shard"/>'s units: those at positions p (0-based) with p mod N = i − 1, in run order.</summary>
    public IReadOnlyList<RunUnit> Shard(ShardSpec shard) =>
        Units.Where((_, p) => p % shard.Count == shard.Index - 1).ToArray();
}
