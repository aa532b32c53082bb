using System.Globalization;

namespace Repro.Results;

/// <summary>
/// Where results live: <c>ROOT/NAME/seed-S/</c> for a full run, <c>ROOT/NAME/quick-seed-S/</c> for a
/// quick one (so quick runs never overwrite full ones). A sweep variant's name carries its own
/// sub-path (<c>BASE/sweep/PARAM-VALUE</c>).
/// </summary>
/// <param name="OutputRoot">The results folder (<c>reports</c> by default).</param>
/// <param name="Quick">Quick-run results.</param>
public sealed record ResultsLayout(string OutputRoot, bool Quick)
{
    /// <summary>The folder of one experiment.</summary>
    public string ExperimentFolder(string experiment) => Path.Combine(OutputRoot, experiment);

    /// <summary>
    /// The folder of one experiment × seed; <paramref name="prefix"/> sets apart runs that must never
    /// mix with real ones (a calibration fault's <c>fault-NAME-</c>).
    /// </summary>
    public string SeedFolder(string experiment, long seed, string prefix = "") =>
        Path.Combine(OutputRoot, experiment, prefix + (Quick ? "quick-seed-" : "seed-") + seed.ToString(CultureInfo.InvariantCulture));
}
