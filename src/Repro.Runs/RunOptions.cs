using Repro.Results;

namespace Repro.Runs;

/// <summary>How to run experiments: where results go, threads, quick settings, the local cache.</summary>
/// <param name="OutputRoot">Folder that receives <c>NAME/seed-S/…</c> (the report's folder, <c>reports</c>, by default).</param>
/// <param name="Threads">libtorch intra-op threads; recorded with every result.</param>
/// <param name="Quick">Use the definition's reduced settings (tests and quick looks).</param>
/// <param name="Recompute">Compute every seed even when <see cref="Cache"/> holds it (the computed seed then replaces the entry).</param>
public sealed record RunOptions(string OutputRoot, int Threads, bool Quick, bool Recompute)
{
    /// <summary>A deliberate defect (calibration only); <see cref="Fault.None"/> for real runs.</summary>
    public Fault Fault { get; init; } = Fault.None;

    /// <summary>
    /// The identity of the code that computes results (<see cref="CodeIdentity.Hash"/>); a cached run made by
    /// other code is never reused. Settable so that a test can plant a code change.
    /// </summary>
    public string Code { get; init; } = CodeIdentity.Hash;

    /// <summary>
    /// The local cache finished seeds are restored from and stored in (null: none; every seed is computed
    /// and nothing is kept). Nothing is ever reused from <see cref="OutputRoot"/> itself.
    /// </summary>
    public SeedCache? Cache { get; init; }

    /// <summary>How the results under <see cref="OutputRoot"/> are laid out (what Reporting and <c>check</c> read).</summary>
    public ResultsLayout Layout => new(OutputRoot, Quick);

    /// <summary>The folder of one experiment × seed (quick and faulty runs never overwrite full ones).</summary>
    public string SeedFolder(string experiment, long seed) =>
        Layout.SeedFolder(experiment, seed, Fault == Fault.None ? "" : "fault-" + FaultName + "-");

    /// <summary>The fault's name as folders and cache keys spell it (<c>none</c> for real runs).</summary>
    public string FaultName => Fault.ToString().ToLowerInvariant();
}
