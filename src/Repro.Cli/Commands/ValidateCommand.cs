using System.ComponentModel;
using Repro.Core.Definitions;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro validate FILE|DIR|NAME...</c>: strict validation of definitions. A bare name is looked up in
/// <c>--experiments</c> like every other command does (by file stem, then by <c>name</c>).
/// </summary>
public sealed class ValidateCommand(Streams streams) : Command<ValidateCommand.Settings>
{
    /// <summary>Arguments of <c>validate</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Files or folders to validate.</summary>
        [CommandArgument(0, "[PATHS]")]
        [Description("Definition files, folders, or experiment names looked up in --experiments (default: the experiments folder).")]
        public string[] Paths { get; init; } = [];

        /// <summary>Folder of definitions.</summary>
        [CommandOption("--experiments <DIR>")]
        [Description("Folder of experiment definitions names are looked up in (default: experiments).")]
        public string ExperimentsDirectory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var paths = settings.Paths.Length > 0 ? settings.Paths : [settings.ExperimentsDirectory];
        foreach (string path in paths)
            foreach (var d in LooksLikePath(path) ? ExperimentDefinition.LoadAll(path) : DefinitionLookup.Find(path, settings.ExperimentsDirectory))
                streams.Out.WriteLine($"ok  {d.SourceFile}  ({d.Name}, sha256 {d.Hash[..12]})");
        return ReproApp.Ok;
    }

    /// <summary>A file or folder that exists, or an argument spelled like one (a missing file is then named as such, not looked up as a name).</summary>
    static bool LooksLikePath(string argument) =>
        File.Exists(argument) || Directory.Exists(argument) || argument.Contains('/') || argument.Contains(Path.DirectorySeparatorChar)
        || argument.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
