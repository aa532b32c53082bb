using System.ComponentModel;
using Repro.Core.Definitions;
using Spectre.Console.Cli;

namespace Repro.Cli.Commands;

/// <summary><c>repro list [DIR]</c>: every experiment with what it reproduces and its description.</summary>
public sealed class ListCommand(Streams streams) : Command<ListCommand.Settings>
{
    /// <summary>Arguments of <c>list</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Folder of definitions.</summary>
        [CommandArgument(0, "[DIR]")]
        [Description("Folder of experiment definitions (default: experiments).")]
        public string Directory { get; init; } = RepositoryFolders.Default(RepositoryFolders.Experiments);
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // One bad draft must not hide the good definitions: list them, then name the bad file.
        var (good, errors) = Cli.DefinitionLookup.LoadEach(settings.Directory);
        foreach (var d in good)
        {
            string training = d.Training is { } t ? $"DSM σ={t.Sigma}, {t.Steps} steps" : "exact score, no training";
            streams.Out.WriteLine($"{d.Name}  [d={d.Data.Dimension}, {d.Seeds.Count} seeds, {training}; {d.Reproduces}]");
            streams.Out.WriteLine("    " + d.Description);
        }
        foreach (string e in errors) streams.Error.WriteLine("error: " + e);
        return errors.Count > 0 ? ReproApp.BadInput : ReproApp.Ok;
    }
}
