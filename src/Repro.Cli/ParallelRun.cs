using System.Diagnostics;
using System.Globalization;
using Repro.Core;
using Repro.Results;
using Repro.Runs;
using Repro.Runs.Plan;

namespace Repro.Cli;

/// <summary>
/// <c>--jobs N</c>: the units of a run computed by N worker processes, each an ordinary <c>repro run</c> of the same
/// units with the run's fixed <c>--threads</c>, writing into a folder of its own beside the results folder
/// (<c>DIR.jobs/worker-K</c>). Workers take units in plan order, each claiming a unit by creating
/// <c>DIR.jobs/claims/UNIT-ID</c> (an exclusive create: one worker per unit), so a long unit never holds up the others
/// queued behind it. When every worker has finished, each unit's seed folder is renamed into the results folder, as if
/// computed in place. Processes rather than threads: libtorch's thread count is process-global state
/// (<c>torch.set_num_threads</c>), and separate processes share nothing, so every unit's bytes are those of a
/// one-process run by construction (a unit's numbers depend only on its definition, seed, threads and build).
/// A worker that fails (bad input, a crash) stops the others; nothing is moved into the results folder, the work
/// folder is removed, and the units that had finished stay in the local cache for the next run.
/// </summary>
public static class ParallelRun
{
    /// <summary>The folder the workers write in, beside <paramref name="results"/>.</summary>
    public static string WorkFolderOf(string results) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(results)) + ".jobs";

    /// <summary>
    /// Runs <paramref name="units"/> in <paramref name="jobs"/> worker processes started as
    /// <c>repro run UNITARGS --threads T --out WORKER --jobs 1 --claim CLAIMS</c> plus the cache options, then moves
    /// their results into <see cref="RunOptions.OutputRoot"/>. The caller holds the results folder's lock. Returns 0,
    /// or 1 when a unit diverged; a worker's own exit code when it failed (its error line already forwarded).
    /// </summary>
    /// <param name="units">The units the workers' arguments select (checked: each must come back exactly once).</param>
    /// <param name="unitArguments">The <c>run</c> arguments that select <paramref name="units"/> (experiments, seeds, quick, sweep, shard).</param>
    /// <param name="program">How to start a worker (default: this program, <see cref="Program"/>); its arguments come first.</param>
    public static int Run(IReadOnlyList<RunUnit> units, IReadOnlyList<string> unitArguments, RunOptions options, int jobs, Streams streams,
        ProcessStartInfo? program = null)
    {
        program ??= Program();
        string work = WorkFolderOf(options.OutputRoot);
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        string claims = Path.Combine(work, "claims");
        Directory.CreateDirectory(claims);
        var output = new Lock();
        var workers = new List<(Process Process, string Folder)>();
        try
        {
            streams.Out.WriteLine($"running {units.Count} units in {jobs} worker processes (--jobs {jobs}, --threads {options.Threads} each)");
            for (int k = 1; k <= jobs; k++)
            {
                string folder = Path.Combine(work, "worker-" + k.ToString(CultureInfo.InvariantCulture));
                var process = Start(program, WorkerArguments(unitArguments, options, folder, claims), output, streams);
                workers.Add((process, folder));
            }
            int? failed = null;
            int diverged = 0;
            // Wait for all; the first failure (not a diverged unit, which is a result) stops the rest.
            var pending = workers.Select(w => w.Process).ToList();
            while (pending.Count > 0)
            {
                int index = Task.WaitAny(pending.Select(p => p.WaitForExitAsync()).ToArray());
                var done = pending[index];
                pending.RemoveAt(index);
                done.WaitForExit(); // drains the output events
                if (done.ExitCode == ReproApp.GateFailed) diverged++;
                else if (done.ExitCode != ReproApp.Ok && failed is null)
                {
                    failed = done.ExitCode;
                    foreach (var other in pending) Stop(other);
                }
            }
            if (failed is { } code)
            {
                if (code != ReproApp.BadInput)
                    streams.Error.WriteLine($"error: a worker process of --jobs {jobs} exited with code {code}; nothing was written to {options.OutputRoot} (units that finished are in the local cache)");
                return code;
            }
            var merged = new List<MergedUnit>();
            foreach (var unit in units)
            {
                var holders = workers.Where(w => File.Exists(Path.Combine(w.Folder, unit.Folder, SeedFiles.Run))).ToArray();
                if (holders.Length != 1)
                    throw new InputException($"{unit.Label}: came back from {holders.Length} worker processes, not one: the definitions changed while the run went on; run again");
                merged.Add(new MergedUnit(holders[0].Folder, unit.Folder));
            }
            // Every seed folder's place is made before the first is moved, so an obstacle (a file where a folder
            // must go) is refused before the results folder changes, in the words of a one-process run.
            foreach (var unit in units)
            {
                string target = options.SeedFolder(unit.Experiment, unit.Seed);
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    if (File.Exists(target)) throw new IOException($"a file named {Path.GetFileName(target)} is in the way");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InputException($"{target}: cannot be made a seed folder ({e.Message})");
                }
            }
            ResultsMerge.MoveInto(new MergePlan(merged, 0, null), options.OutputRoot);
            return diverged == 0 ? ReproApp.Ok : ReproApp.GateFailed;
        }
        finally
        {
            foreach (var (process, _) in workers)
            {
                Stop(process);
                process.Dispose();
            }
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    static List<string> WorkerArguments(IReadOnlyList<string> unitArguments, RunOptions options, string folder, string claims)
    {
        var args = new List<string> { "run" };
        args.AddRange(unitArguments);
        args.AddRange(["--threads", options.Threads.ToString(CultureInfo.InvariantCulture), "--out", folder, "--jobs", "1", "--claim", claims]);
        if (options.Cache is { } cache) args.AddRange(["--cache", cache.Folder]);
        else args.Add("--no-cache");
        if (options.Recompute) args.Add("--recompute");
        return args;
    }

    /// <summary>Starts a worker whose output lines are forwarded whole, one at a time (no interleaved half-lines).</summary>
    static Process Start(ProcessStartInfo program, List<string> args, Lock output, Streams streams)
    {
        var start = new ProcessStartInfo(program.FileName);
        foreach (string a in program.ArgumentList.Concat(args)) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (output) streams.Out.WriteLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (output) streams.Error.WriteLine(line); };
        if (!process.Start()) throw new InvalidOperationException($"{start.FileName}: could not be started");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>This program: the apphost beside repro.dll, else <c>dotnet repro.dll</c>.</summary>
    public static ProcessStartInfo Program()
    {
        string dll = typeof(ParallelRun).Assembly.Location;
        string apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "repro.exe" : "repro");
        if (File.Exists(apphost)) return new ProcessStartInfo(apphost);
        string? process = Environment.ProcessPath;
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet);
        start.ArgumentList.Add(dll);
        return start;
    }

    static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { } // already gone
    }
}
