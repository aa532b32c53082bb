using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Cli;

/// <summary>
/// The bash script <c>repro slurm</c> writes: run with <c>bash FILE</c>, it submits (1) a Slurm job array of
/// <see cref="Shards"/> tasks, task I running <c>repro run --shard I/N --out SHARDS/shard-I</c> (Slurm's
/// <c>$SLURM_ARRAY_TASK_ID</c> is 1-based, as <c>--shard</c> is), and (2) a job with
/// <c>--dependency=afterok:ARRAY</c> and <c>--kill-on-invalid-dep=yes</c> that merges the shard folders into
/// <see cref="Out"/>, rebuilds the report and gates it (<c>repro merge</c>, <c>report</c>, <c>check --junit</c>),
/// so its exit status is the gates'. A failed task cancels the merge job instead of leaving it pending for
/// ever. Each job script is a quoted here-document given to <c>sbatch</c> on standard input, so the file is
/// the whole workflow; every path is relative to <see cref="WorkingDirectory"/> (the jobs' <c>--chdir</c>).
/// Slurm: sbatch(1), job arrays and dependencies (https://slurm.schedmd.com/job_array.html).
/// </summary>
public sealed record SlurmScript
{
    /// <summary>How the jobs start repro, as shell words, quoted where needed (e.g. <c>dotnet /abs/repro.dll</c>, or <c>repro</c>).</summary>
    public required string Repro { get; init; }

    /// <summary>Absolute folder the submission and every job run in.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Number of array tasks N ≥ 1, one shard each.</summary>
    public required int Shards { get; init; }

    /// <summary>The merged results folder (report and gates are written there).</summary>
    public required string Out { get; init; }

    /// <summary>The folder holding <c>shard-I</c> for every task and <c>logs/</c>.</summary>
    public required string ShardsFolder { get; init; }

    /// <summary>Experiment arguments of <c>repro run</c> (names, files or folders; empty: all).</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    /// <summary>Experiment arguments of <c>repro report</c> and <c>check</c> (names or definition files; empty: all).</summary>
    public IReadOnlyList<string> Judged { get; init; } = [];

    /// <summary>The <c>--experiments</c> folder, or null for the default.</summary>
    public string? ExperimentsDirectory { get; init; }

    /// <summary>Quick settings (<c>--quick</c> on every command).</summary>
    public bool Quick { get; init; }

    /// <summary>Skip sweep variants.</summary>
    public bool NoSweep { get; init; }

    /// <summary>libtorch threads per unit (<c>repro run --threads</c>).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Units each array task computes at once (<c>repro run --jobs</c>), each in a worker process of <see cref="Threads"/> threads.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>The local cache folder every shard shares, or null for <c>--no-cache</c>.</summary>
    public string? Cache { get; init; }

    /// <summary>JUnit file of the gates.</summary>
    public required string JUnit { get; init; }

    /// <summary>Prefix of the two job names (<c>NAME-shards</c>, <c>NAME-merge</c>).</summary>
    public string JobName { get; init; } = "repro";

    /// <summary>CPUs of each array task (<c>--cpus-per-task</c>).</summary>
    public int CpusPerTask { get; init; } = 1;

    /// <summary>Slurm partition, or null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Slurm account, or null.</summary>
    public string? Account { get; init; }

    /// <summary>Time limit of each array task in Slurm's format (<c>MM</c>, <c>HH:MM:SS</c>, <c>D-HH:MM</c>…), or null.</summary>
    public string? Time { get; init; }

    /// <summary>Time limit of the merge job, or null.</summary>
    public string? MergeTime { get; init; }

    /// <summary>The command line that wrote the script, for its header.</summary>
    public string WrittenBy { get; init; } = "repro slurm";

    /// <summary>Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS (sbatch(1), --time).</summary>
    public static bool IsTime(string text) =>
        Regex.IsMatch(text, @"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$");

    /// <summary>A Slurm name (partition, account, job name): no blanks, quotes or shell characters.</summary>
    public static bool IsName(string text) => Regex.IsMatch(text, @"^[A-Za-z0-9_.+@-]+$");

    /// <summary>The script's text (LF line ends).</summary>
    public string Render()
    {
        string n = Shards.ToString(CultureInfo.InvariantCulture);
        string q(string w) => SuggestedCommand.Quote(w);
        string shardsDir = Path.TrimEndingDirectorySeparator(ShardsFolder);
        string logs = shardsDir + "/logs";
        string repro = "repro=(" + Repro + ")";
        var common = new List<string>();
        if (ExperimentsDirectory is { } dir) common.AddRange(["--experiments", q(dir)]);
        if (Quick) common.Add("--quick");
        string commonText = common.Count > 0 ? " " + string.Join(" ", common) : "";

        var run = new StringBuilder("\"${repro[@]}\" run");
        foreach (string e in Experiments) run.Append(' ').Append(q(e));
        run.Append(commonText);
        if (NoSweep) run.Append(" --no-sweep");
        run.Append(" --threads ").Append(Threads.ToString(CultureInfo.InvariantCulture));
        // Explicit: run's default (the machine's cores) would oversubscribe a node whose CPUs Slurm shares out.
        run.Append(" --jobs ").Append(Jobs.ToString(CultureInfo.InvariantCulture));
        run.Append(Cache is { } cache ? " --cache " + q(cache) : " --no-cache");
        run.Append(" --shard \"$SLURM_ARRAY_TASK_ID/").Append(n).Append('"');
        run.Append(" --out ").Append(q(shardsDir)).Append("/shard-\"$SLURM_ARRAY_TASK_ID\"");

        string judged = string.Concat(Judged.Select(j => " " + q(j)));

        var s = new StringBuilder();
        s.Append("#!/usr/bin/env bash\n");
        s.Append("# Repro on a Slurm cluster, written by: ").Append(WrittenBy).Append('\n');
        s.Append("# Submit with `bash THIS_FILE` on a machine that can sbatch (the login node). It submits\n");
        s.Append("#  1. ").Append(JobName).Append("-shards: a job array of ").Append(n).Append(" tasks; task I runs `repro run --shard I/")
            .Append(n).Append("`, the I-th of ").Append(n).Append(" disjoint\n");
        s.Append("#     shares of the units (experiment x variant x seed) `repro plan --shard I/").Append(n).Append("` lists, into ")
            .Append(shardsDir).Append("/shard-I;\n");
        s.Append("#  2. ").Append(JobName).Append("-merge: once every task has succeeded (afterok), merges the shards into ")
            .Append(Out).Append(",\n");
        s.Append("#     rebuilds the report and gates it (JUnit: ").Append(JUnit).Append("); it exits like `repro check`.\n");
        s.Append("# A failed task cancels the merge job (--kill-on-invalid-dep). Submitting again reruns the shards, which\n");
        s.Append("# resume: finished units are kept. Logs: ").Append(logs).Append("/. Paths are relative to the working folder below.\n");
        s.Append("set -euo pipefail\n");
        s.Append("cd ").Append(q(WorkingDirectory)).Append('\n');
        // sbatch does not create the folder of --output.
        s.Append("mkdir -p ").Append(q(logs)).Append('\n');
        s.Append('\n');

        // Paths go on sbatch's command line, where the shell quotes them (an #SBATCH line is not shell).
        string placement = " --chdir=" + q(WorkingDirectory);
        s.Append("array=$(sbatch --parsable").Append(placement).Append(" --output=").Append(q(logs + "/shard-%a.log")).Append(" <<'REPRO_SHARDS'\n");
        s.Append("#!/usr/bin/env bash\n");
        s.Append("#SBATCH --job-name=").Append(JobName).Append("-shards\n");
        s.Append("#SBATCH --array=1-").Append(n).Append('\n');
        s.Append("#SBATCH --ntasks=1\n");
        s.Append("#SBATCH --cpus-per-task=").Append(CpusPerTask.ToString(CultureInfo.InvariantCulture)).Append('\n');
        AppendPlacement(s, Time);
        s.Append("set -euo pipefail\n");
        s.Append(repro).Append('\n');
        s.Append(run).Append('\n');
        s.Append("REPRO_SHARDS\n");
        s.Append(")\n");
        // --parsable prints "jobid" or "jobid;cluster".
        s.Append("array=${array%%;*}\n");
        s.Append('\n');

        s.Append("merge=$(sbatch --parsable").Append(placement).Append(" --output=").Append(q(logs + "/merge.log"))
            .Append(" --dependency=\"afterok:$array\" --kill-on-invalid-dep=yes <<'REPRO_MERGE'\n");
        s.Append("#!/usr/bin/env bash\n");
        s.Append("#SBATCH --job-name=").Append(JobName).Append("-merge\n");
        s.Append("#SBATCH --ntasks=1\n");
        s.Append("#SBATCH --cpus-per-task=1\n");
        AppendPlacement(s, MergeTime);
        s.Append("set -euo pipefail\n");
        s.Append(repro).Append('\n');
        s.Append("shards=()\n");
        s.Append("for i in $(seq 1 ").Append(n).Append("); do shards+=(").Append(q(shardsDir)).Append("/shard-\"$i\"); done\n");
        s.Append("\"${repro[@]}\" merge ").Append(q(Out)).Append(" \"${shards[@]}\"\n");
        s.Append("\"${repro[@]}\" report ").Append(q(Out)).Append(judged).Append(commonText).Append('\n');
        s.Append("\"${repro[@]}\" check ").Append(q(Out)).Append(judged).Append(commonText).Append(" --junit ").Append(q(JUnit)).Append('\n');
        s.Append("REPRO_MERGE\n");
        s.Append(")\n");
        s.Append("merge=${merge%%;*}\n");
        s.Append('\n');
        s.Append("echo \"repro-slurm: shards: job $array (array tasks 1-").Append(n).Append(")\"\n");
        s.Append("echo \"repro-slurm: merge, report, check: job $merge (after every task of job $array succeeds)\"\n");
        return s.ToString();
    }

    void AppendPlacement(StringBuilder s, string? time)
    {
        if (Partition is { } p) s.Append("#SBATCH --partition=").Append(p).Append('\n');
        if (Account is { } a) s.Append("#SBATCH --account=").Append(a).Append('\n');
        if (time is { } t) s.Append("#SBATCH --time=").Append(t).Append('\n');
    }
}
