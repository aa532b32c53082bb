using Repro.Core.Evaluation;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>
/// The files of one experiment × seed folder (<c>reports/NAME/seed-S/</c>), each read and written
/// here through its typed record, so that no other code knows a file name or a column position:
/// <list type="bullet">
/// <item><c>run.json</c> (<see cref="RunRecord"/>), written last: its presence means "finished";</item>
/// <item><c>metrics.csv</c> (<see cref="MetricsCsv"/>), long-format metric rows;</item>
/// <item><c>loss.csv</c> (<see cref="LossTrace"/>), <c>score-grid.csv</c> (<see cref="ScoreGridTable"/>),
/// <c>score-error.csv</c> (<see cref="ScoreErrorTable"/>) of a trained network;</item>
/// <item>per reconstruction NAME: <c>start-NAME.csv</c>, <c>samples-NAME.csv</c> (<see cref="PointsCsv"/>),
/// <c>moments-NAME.csv</c> (<see cref="MomentsTable"/>), <c>trajectories-NAME.csv</c> (<see cref="TrajectoriesTable"/>);</item>
/// <item><c>reference-p0.csv</c> (<see cref="PointsCsv"/>), the exact sample the report draws beside them.</item>
/// </list>
/// The network's <c>weights.bin</c> and its sidecar <c>weights.json</c> are written by Repro.Runs (they need TorchSharp); only their names are here.
/// </summary>
/// <param name="Folder">The seed folder.</param>
public sealed record SeedFiles(string Folder)
{
    /// <summary>File names inside a seed folder.</summary>
    public const string Run = "run.json", Metrics = "metrics.csv", Loss = "loss.csv", ScoreGrid = "score-grid.csv",
        ScoreError = "score-error.csv", ReferenceP0 = "reference-p0.csv";

    /// <summary>File names of the network's weights (TorchSharp's format) and their JSON sidecar, written by Repro.Runs' <c>WeightsStore</c>.</summary>
    public const string Weights = "weights.bin", WeightsSidecar = "weights.json";

    /// <summary>File name of a reconstruction's starting points.</summary>
    public static string Start(string reconstruction) => $"start-{reconstruction}.csv";

    /// <summary>File name of a reconstruction's final particles.</summary>
    public static string Samples(string reconstruction) => $"samples-{reconstruction}.csv";

    /// <summary>File name of a reconstruction's moment trace.</summary>
    public static string Moments(string reconstruction) => $"moments-{reconstruction}.csv";

    /// <summary>File name of a reconstruction's tracked particles.</summary>
    public static string Trajectories(string reconstruction) => $"trajectories-{reconstruction}.csv";

    /// <summary>The full path of <paramref name="file"/> in this folder.</summary>
    public string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>True when <paramref name="file"/> exists in this folder.</summary>
    public bool Has(string file) => File.Exists(PathOf(file));

    /// <summary>The run record, or null when the run has not finished.</summary>
    public RunRecord? ReadRun() => RunRecord.Read(PathOf(Run));

    /// <summary>Writes the run record (last, atomically).</summary>
    public void WriteRun(RunRecord record) => record.Write(PathOf(Run));

    /// <summary>Removes the run record, so that the folder no longer reads as finished while it is rewritten.</summary>
    public void DeleteRun()
    {
        if (Has(Run)) File.Delete(PathOf(Run));
    }

    /// <summary>The seed's metric rows.</summary>
    public IReadOnlyList<MetricRow> ReadMetrics() => MetricsCsv.Read(PathOf(Metrics));

    /// <summary>Writes the seed's metric rows.</summary>
    public void WriteMetrics(IEnumerable<MetricRow> rows) => MetricsCsv.Write(PathOf(Metrics), rows);

    /// <summary>The training loss trace.</summary>
    public LossTrace ReadLoss() => LossTrace.Read(PathOf(Loss));

    /// <summary>Writes the training loss trace.</summary>
    public void WriteLoss(LossTrace trace) => trace.Write(PathOf(Loss));

    /// <summary>The score tables on the grid.</summary>
    public ScoreGridTable ReadScoreGrid(int dimension) => ScoreGridTable.Read(PathOf(ScoreGrid), dimension);

    /// <summary>Writes the score tables on the grid.</summary>
    public void WriteScoreGrid(ScoreGridTable table) => table.Write(PathOf(ScoreGrid));

    /// <summary>The score error against the distance to the data.</summary>
    public ScoreErrorTable ReadScoreError() => ScoreErrorTable.Read(PathOf(ScoreError));

    /// <summary>Writes the score error against the distance to the data.</summary>
    public void WriteScoreError(ScoreErrorTable table) => table.Write(PathOf(ScoreError));

    /// <summary>A reconstruction's starting points.</summary>
    public Points ReadStart(string reconstruction, int? dimension = null) => PointsCsv.Read(PathOf(Start(reconstruction)), dimension);

    /// <summary>Writes a reconstruction's starting points.</summary>
    public void WriteStart(string reconstruction, Points points) => PointsCsv.Write(PathOf(Start(reconstruction)), points);

    /// <summary>A reconstruction's final particles.</summary>
    public Points ReadSamples(string reconstruction, int? dimension = null) => PointsCsv.Read(PathOf(Samples(reconstruction)), dimension);

    /// <summary>Writes a reconstruction's final particles.</summary>
    public void WriteSamples(string reconstruction, Points points) => PointsCsv.Write(PathOf(Samples(reconstruction)), points);

    /// <summary>The exact reference sample of p₀.</summary>
    public Points ReadReferenceP0(int? dimension = null) => PointsCsv.Read(PathOf(ReferenceP0), dimension);

    /// <summary>Writes the exact reference sample of p₀.</summary>
    public void WriteReferenceP0(Points points) => PointsCsv.Write(PathOf(ReferenceP0), points);

    /// <summary>A reconstruction's moment trace, or null when it was not traced (not a Langevin sampler).</summary>
    public MomentsTable? ReadMoments(string reconstruction) =>
        Has(Moments(reconstruction)) ? MomentsTable.Read(PathOf(Moments(reconstruction))) : null;

    /// <summary>Writes a reconstruction's moment trace.</summary>
    public void WriteMoments(string reconstruction, MomentsTable table) => table.Write(PathOf(Moments(reconstruction)));

    /// <summary>A reconstruction's tracked particles, or null when none were tracked.</summary>
    public TrajectoriesTable? ReadTrajectories(string reconstruction, int dimension) =>
        Has(Trajectories(reconstruction)) ? TrajectoriesTable.Read(PathOf(Trajectories(reconstruction)), dimension) : null;

    /// <summary>Writes a reconstruction's tracked particles.</summary>
    public void WriteTrajectories(string reconstruction, TrajectoriesTable table) => table.Write(PathOf(Trajectories(reconstruction)));
}
