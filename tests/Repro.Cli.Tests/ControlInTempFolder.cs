namespace Repro.Cli.Tests;

/// <summary>
/// A temporary folder holding <c>experiments/</c> with a copy of the control experiment (cheap: exact
/// score, no training) and a path for <c>reports/</c>; deleted after the test.
/// </summary>
public abstract class ControlInTempFolder : IDisposable
{
    /// <summary>The temporary folder.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory("repro-cli-").FullName;

    /// <summary>Its experiments folder, holding <c>ncsn-mode-weights.json</c>.</summary>
    protected string Experiments { get; }

    /// <summary>Where results go (not created).</summary>
    protected string Out { get; }

    protected ControlInTempFolder()
    {
        Experiments = Path.Combine(Dir, "experiments");
        Out = Path.Combine(Dir, "reports");
        Directory.CreateDirectory(Experiments);
        File.Copy(Path.Combine(RepoPaths.Experiments, "ncsn-mode-weights.json"), Path.Combine(Experiments, "ncsn-mode-weights.json"));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
