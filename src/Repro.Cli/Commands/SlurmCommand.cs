using System.ComponentModel;
using System.Globalization;
using Repro.Results;
using Repro.Runs.Plan;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro slurm [EXPERIMENTS] --shards N</c>: writes the bash script that runs the experiments on a Slurm
/// cluster as a job array of N shards (<c>repro run --shard $SLURM_ARRAY_TASK_ID/N</c>) and a dependent job
/// (<c>afterok</c>) that merges, reports and gates (<see cref="SlurmScript"/>). It submits nothing itself:
/// <c>bash FILE</c> does. The definitions are validated first (exit 2 on a bad one, nothing written).
/// </summary>
public sealed class SlurmCommand(Streams streams) : Command<SlurmCommand.Settings>
{
    /// <summary>Arguments of <c>slurm</c>.</summary>
    public sealed class Settings : ExperimentSettings
    {
        /// <summary>Number of array tasks.</summary>
        [CommandOption("--shards <N>")]
        [Description("Number of array tasks, one shard of the units each (repro run --shard I/N, I = $SLURM_ARRAY_TASK_ID = 1…N).")]
        public int? Shards { get; init; }

        /// <summary>Quick settings.</summary>
        [CommandOption("--quick")]
        [Description("Run, report and check with the definitions' quick settings (results default to reports.quick).")]
        public bool Quick { get; init; }

        /// <summary>Skip sweep variants.</summary>
        [CommandOption("--no-sweep")]
        [Description("Leave out the sweep variants (repro run --no-sweep).")]
        public bool NoSweep { get; init; }

        /// <summary>libtorch threads per unit.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch threads of each unit (repro run --threads; default 1). Results are bit-identical only for equal thread counts.")]
        public int Threads { get; init; } = 1;

        /// <summary>Units computed at once in each array task.</summary>
        [CommandOption("--jobs <N>")]
        [Description("Units each array task computes at once, each in a worker process with --threads threads (repro run --jobs; default 1).")]
        public int Jobs { get; init; } = 1;

        /// <summary>CPUs per array task.</summary>
        [CommandOption("--cpus-per-task <N>")]
        [Description("CPUs Slurm gives each array task (default: --jobs × --threads).")]
        public int? CpusPerTask { get; init; }

        /// <summary>Merged results folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder the merge job merges into, reports and gates (default: reports; with --quick: reports.quick).")]
        public string? OutArgument { get; init; }

        /// <summary>The merged results folder.</summary>
        public string Out => OutArgument ?? RepositoryFolders.Default(Quick ? ResultsSettings.QuickFolder : ResultsSettings.FullFolder);

        /// <summary>Folder of the shard folders.</summary>
        [CommandOption("--shards-folder <DIR>")]
        [Description("Folder for the shard folders shard-1…shard-N and the jobs' logs (default: OUT.shards).")]
        public string? ShardsFolderArgument { get; init; }

        /// <summary>The shard folders' parent.</summary>
        public string ShardsFolder => ShardsFolderArgument ?? Path.TrimEndingDirectorySeparator(Out) + ".shards";

        /// <summary>JUnit file of the gates.</summary>
        [CommandOption("--junit <FILE>")]
        [Description("JUnit XML the merge job's repro check writes (default: OUT/junit.xml).")]
        public string? JUnitArgument { get; init; }

        /// <summary>No local cache.</summary>
        [CommandOption("--no-cache")]
        [Description("Shards neither read nor write the local cache of finished seeds: every unit is computed.")]
        public bool NoCache { get; init; }

        /// <summary>The shared local cache.</summary>
        [CommandOption("--cache <DIR>")]
        [Description("Local cache of finished seeds every shard shares (default: .repro-cache beside OUT, the one repro run uses; it must be on a file system every node sees).")]
        public string? CacheArgument { get; init; }

        /// <summary>Slurm partition.</summary>
        [CommandOption("--partition <NAME>")]
        [Description("Slurm partition of both jobs (default: the cluster's).")]
        public string? Partition { get; init; }

        /// <summary>Slurm account.</summary>
        [CommandOption("--account <NAME>")]
        [Description("Slurm account to charge (default: yours).")]
        public string? Account { get; init; }

        /// <summary>Time limit per array task.</summary>
        [CommandOption("--time <LIMIT>")]
        [Description("Time limit of each array task, in Slurm's format: MINUTES, HH:MM:SS, D-HH:MM… (default: the partition's).")]
        public string? Time { get; init; }

        /// <summary>Time limit of the merge job.</summary>
        [CommandOption("--merge-time <LIMIT>")]
        [Description("Time limit of the merge, report and check job (default: the partition's).")]
        public string? MergeTime { get; init; }

        /// <summary>Job name prefix.</summary>
        [CommandOption("--job-name <NAME>")]
        [Description("Prefix of the job names, NAME-shards and NAME-merge (default: repro).")]
        public string JobName { get; init; } = "repro";

        /// <summary>How the jobs start repro.</summary>
        [CommandOption("--repro <COMMAND>")]
        [Description("How the jobs start repro, as shell words: 'repro' (the installed .NET tool) or 'dotnet /path/repro.dll' (default: how this repro was started, by absolute path).")]
        public string? Repro { get; init; }

        /// <summary>Where to write the script.</summary>
        [CommandOption("--script <FILE>")]
        [Description("Write the script to FILE (made executable) instead of standard output; submit it with bash FILE.")]
        public string? Script { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            if (Shards is null) return ValidationResult.Error("--shards: give the number of array tasks N (e.g. --shards 4)");
            if (Shards < 1) return ValidationResult.Error($"--shards: must be ≥ 1 (got {Shards})");
            if (Threads < 1) return ValidationResult.Error($"--threads: must be ≥ 1 (got {Threads})");
            if (Jobs < 1) return ValidationResult.Error($"--jobs: must be ≥ 1 (got {Jobs})");
            if (CpusPerTask is < 1) return ValidationResult.Error($"--cpus-per-task: must be ≥ 1 (got {CpusPerTask})");
            if (NoCache && CacheArgument is not null) return ValidationResult.Error("--cache and --no-cache: give one of them");
            foreach (var (option, value) in new[] { ("--partition", Partition), ("--account", Account), ("--job-name", (string?)JobName) })
                if (value is not null && !SlurmScript.IsName(value))
                    return ValidationResult.Error($"{option}: must be letters, digits and _.+@- only (got \"{value}\")");
            foreach (var (option, value) in new[] { ("--time", Time), ("--merge-time", MergeTime) })
                if (value is not null && !SlurmScript.IsTime(value))
                    return ValidationResult.Error($"{option}: must be a Slurm time limit: MINUTES, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (got \"{value}\")");
            if (Repro is not null && string.IsNullOrWhiteSpace(Repro)) return ValidationResult.Error("--repro: must name a command (e.g. 'repro' or 'dotnet /path/repro.dll')");
            if (Repro is not null && Repro.IndexOfAny(['\n', '\r', ')', '(']) >= 0)
                return ValidationResult.Error($"--repro: must be shell words on one line, without parentheses (got \"{Repro}\")");
            return ValidationResult.Success();
        }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The jobs run in this folder: relative paths mean there what they mean here.
        string workingDirectory = Directory.GetCurrentDirectory();
        // Validate every definition now, as run would on the cluster: a typo fails here, not in N jobs.
        var definitions = settings.Resolve();
        // report and check take names or definition files, not folders: name what run resolved.
        var judged = settings.Experiments.Length == 0
            ? []
            : definitions.Select(d => settings.Experiments.Contains(d.Name) ? d.Name : d.SourceFile).Distinct().ToArray();
        // Shards share the cache repro run uses for OUT, so a Slurm run and a local one reuse each other's seeds.
        string cache = settings.CacheArgument
            ?? (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(settings.Out)) is { Length: > 0 } parent ? Path.Combine(parent, SeedCache.DefaultName) : SeedCache.DefaultName);
        var script = new SlurmScript
        {
            Repro = settings.Repro?.Trim() ?? SuggestedCommand.AbsoluteProgram,
            WorkingDirectory = workingDirectory,
            Shards = settings.Shards!.Value,
            Out = settings.Out,
            ShardsFolder = settings.ShardsFolder,
            Experiments = settings.Experiments,
            Judged = judged,
            ExperimentsDirectory = settings.ExperimentsDirectory == "experiments" ? null : settings.ExperimentsDirectory,
            Quick = settings.Quick,
            NoSweep = settings.NoSweep,
            Threads = settings.Threads,
            Jobs = settings.Jobs,
            CpusPerTask = settings.CpusPerTask ?? settings.Jobs * settings.Threads,
            Cache = settings.NoCache ? null : cache,
            JUnit = settings.JUnitArgument ?? Path.TrimEndingDirectorySeparator(settings.Out) + "/junit.xml",
            JobName = settings.JobName,
            Partition = settings.Partition,
            Account = settings.Account,
            Time = settings.Time,
            MergeTime = settings.MergeTime,
            WrittenBy = "repro " + string.Join(" ", context.Arguments.Select(a => SuggestedCommand.Quote(a.ReplaceLineEndings(" ")))),
        };
        int units = RunPlan.Of(definitions, null, sweep: !settings.NoSweep, settings.Quick).Units.Count;
        if (script.Shards > units)
            streams.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"note: {script.Shards} shards for {units} units (repro plan lists them): shards {units + 1}–{script.Shards} have nothing to run; --shards {units} is the most that helps"));
        string text = script.Render();
        if (settings.Script is { } file)
        {
            AtomicFile.WriteText(file, text);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            streams.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {file}: {script.Shards} array tasks over {units} units of {definitions.Count} experiment{(definitions.Count == 1 ? "" : "s")}, then merge, report and check into {settings.Out}; submit: bash {SuggestedCommand.Quote(file)}"));
        }
        else
        {
            streams.Out.Write(text);
        }
        return ReproApp.Ok;
    }
}
