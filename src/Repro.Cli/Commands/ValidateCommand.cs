using System.ComponentModel;
using Repro.Core.Definitions;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary><c>repro validate FILE|DIR...</c>: strict validation of definitions.</summary>
public sealed class ValidateCommand(Streams streams) : Command<ValidateCommand.Settings>
{
    /// <summary>Arguments of <c>validate</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Files or folders to validate.</summary>
        [CommandArgument(0, "[PATHS]")]
        [Description("Definition files or folders (default: experiments).")]
        public string[] Paths { get; init; } = [];
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var paths = settings.Paths.Length > 0 ? settings.Paths : ["experiments"];
        foreach (string path in paths)
            foreach (var d in ExperimentDefinition.LoadAll(path))
                streams.Out.WriteLine($"ok  {d.SourceFile}  ({d.Name}, sha256 {d.Hash[..12]})");
        return ReproApp.Ok;
    }
}
