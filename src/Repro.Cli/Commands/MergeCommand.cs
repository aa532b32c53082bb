using System.ComponentModel;
using Repro.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro merge OUT DIR...</c>: combines results folders (the shards of one plan, <c>repro run --shard I/N</c>,
/// or plain results folders), in any order, into <c>OUT</c>, which then holds what a one-process
/// <c>repro run</c> of the same units writes, byte for byte (<see cref="ResultsMerge"/>); <c>repro report OUT</c>
/// and <c>repro check OUT</c> read it as usual. Refused with exit 2 and one line naming the folder and the
/// reason when a shard is missing or unfinished, shards belong to different plans or builds, or one unit
/// appears twice with different bytes; <c>OUT</c> is then untouched.
/// </summary>
public sealed class MergeCommand(Streams streams) : Command<MergeCommand.Settings>
{
    /// <summary>Arguments of <c>merge</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The merged results folder.</summary>
        [CommandArgument(0, "<OUT>")]
        [Description("Results folder to merge into (made if missing; what it holds is kept, each merged unit replaces its namesake; replaced only once the merge is complete).")]
        public string Out { get; init; } = "";

        /// <summary>The folders to merge.</summary>
        [CommandArgument(1, "<DIR>")]
        [Description("Shard folders (repro run --shard I/N --out DIR) or results folders, in any order.")]
        public string[] Sources { get; init; } = [];

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            string target = Full(Out);
            foreach (string source in Sources)
            {
                string relative = Path.GetRelativePath(Full(source), target);
                if (relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)))
                    return ValidationResult.Error($"{Out}: is (or lies inside) the folder {source} being merged; merge into a folder of its own");
            }
            return ValidationResult.Success();
        }

        static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = ResultsMerge.Prepare(settings.Sources);
        using (ResultsLock.Acquire(settings.Out, "merge"))
            ResultsMerge.Apply(plan, settings.Out);
        string from = plan.Plan is { } id ? $"{plan.Shards} shards of plan {id[..16]}" : $"{settings.Sources.Length} results folder{(settings.Sources.Length == 1 ? "" : "s")}";
        streams.Out.WriteLine($"merged {plan.Units.Count} units from {from} into {settings.Out}");
        return ReproApp.Ok;
    }
}
