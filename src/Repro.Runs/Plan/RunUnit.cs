using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Repro.Core.Definitions;

namespace Repro.Runs.Plan;

/// <summary>
/// One independent unit of work: an experiment (or one of its sweep variants) × one training seed, at
/// full or quick settings. Units share nothing but read-only definitions, so they may run in any order,
/// on any core or machine, and give the same bytes (<see cref="RunPlan"/>).
/// </summary>
/// <param name="Definition">The experiment or sweep variant (its name carries <c>BASE/sweep/PARAM-VALUE</c>).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Quick">Quick settings.</param>
public sealed record RunUnit(ExperimentDefinition Definition, long Seed, bool Quick)
{
    /// <summary>The canonical text <see cref="Id"/> hashes: experiment, seed, the definition's identity (<see cref="ExperimentDefinition.Hash"/>) and quick.</summary>
    public string Canonical => string.Create(CultureInfo.InvariantCulture,
        $"experiment={Definition.Name}\nseed={Seed}\ndefinition={Definition.Hash}\nquick={(Quick ? "true" : "false")}\n");

    /// <summary>
    /// The unit's identity: SHA-256 (64 lower-case hex digits) of <see cref="Canonical"/>. Stable across machines,
    /// builds and thread counts (those are checked by <c>merge</c> from each result's <c>run.json</c>), changed by any
    /// edit that changes the numbers the definition makes.
    /// </summary>
    public string Id => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)));

    /// <summary>The first 16 hex digits of <see cref="Id"/>, as <c>repro plan</c> prints it.</summary>
    public string ShortId => Id[..16];

    /// <summary>Experiment name (a sweep variant's <c>BASE/sweep/PARAM-VALUE</c>).</summary>
    public string Experiment => Definition.Name;

    /// <summary>The unit's result folder relative to a results folder, with '/' separators (<c>NAME/seed-S</c>, <c>NAME/quick-seed-S</c>).</summary>
    public string Folder => $"{Definition.Name}/{(Quick ? "quick-seed-" : "seed-")}{Seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How progress lines name the unit: <c>NAME seed S</c>.</summary>
    public string Label => $"{Definition.Name} seed {Seed.ToString(CultureInfo.InvariantCulture)}";
}
