using BenchmarkDotNet.Attributes;
using Repro.Cli;

namespace Repro.Benchmarks;

/// <summary>
/// <c>--jobs</c>: the wall time of <c>repro run</c> over four quick units (the exact-score control and the 1D DSM
/// experiment, seeds 1 and 2, nothing cached) with N worker processes against one process (<c>--jobs 1</c>, the
/// baseline, in the same run). On an idle machine with N cores the ratio is bounded below by 1/N plus the workers'
/// start-up; it says what parallel units buy on this machine now (other load included).
/// </summary>
public class JobsBenchmarks
{
    string _dir = "";
    string _experiments = "";

    /// <summary>Worker processes of the measured run (the baseline is always one).</summary>
    public static int Cores => Math.Max(2, Environment.ProcessorCount);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("repro-bench-jobs-").FullName;
        _experiments = Path.Combine(_dir, "experiments");
        Directory.CreateDirectory(_experiments);
        string shipped = Path.Combine(RepositoryRoot(), "experiments");
        foreach (string name in new[] { "ncsn-mode-weights", "dsm-1d-two-gaussians" })
            File.Copy(Path.Combine(shipped, name + ".json"), Path.Combine(_experiments, name + ".json"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true, Description = "run, 4 quick units, --jobs 1")]
    public int OneJob() => Run(1);

    [Benchmark(Description = "run, 4 quick units, --jobs = cores")]
    public int AllCores() => Run(Cores);

    int Run(int jobs)
    {
        string results = Path.Combine(_dir, "results-" + Guid.NewGuid().ToString("N"));
        int code = ReproApp.Run(["run", "--experiments", _experiments, "--seed", "1,2", "--quick", "--no-cache", "--out", results,
            "--jobs", jobs.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, TextWriter.Null);
        if (code != ReproApp.Ok) throw new InvalidOperationException($"repro run --jobs {jobs} exited with {code}");
        Directory.Delete(results, recursive: true);
        return code;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Repro.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repro.sln not found above " + AppContext.BaseDirectory);
    }
}
