using Repro.Core;
using Repro.Core.Definitions;
using Repro.Core.Definitions.Json;
using Repro.Results;

namespace Repro.Cli;

/// <summary>
/// Finding definitions for the commands: by file, folder, file stem or <c>name</c>, with a "did you
/// mean" for a near miss; reading a folder so that one bad draft is reported without hiding the good
/// ones; and which seeds of a definition have stored results.
/// </summary>
public static class DefinitionLookup
{
    /// <summary>Every definition of a folder that loads, and one error line per file that does not (or repeats a name).</summary>
    public static (IReadOnlyList<ExperimentDefinition> Good, IReadOnlyList<string> Errors) LoadEach(string folder)
    {
        if (File.Exists(folder)) return ([ExperimentDefinition.Load(folder)], []);
        if (!Directory.Exists(folder)) throw new InputException(RepositoryFolders.Missing(folder));
        var good = new List<ExperimentDefinition>();
        var errors = new List<string>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*.json")
                     .Where(f => !Path.GetFileName(f).Equals("schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            try
            {
                var d = ExperimentDefinition.Load(file);
                if (byName.TryGetValue(d.Name, out string? other))
                {
                    errors.Add($"{file}: $.name: experiment \"{d.Name}\" is also defined in {other}");
                    continue;
                }
                byName[d.Name] = file;
                good.Add(d);
            }
            catch (InputException e)
            {
                errors.Add(e.Message);
            }
        }
        return (good, errors);
    }

    /// <summary>
    /// One argument of a command: a definition file, a folder of them, or an experiment named in
    /// <paramref name="folder"/> (by file stem first, then by <c>name</c>).
    /// </summary>
    /// <exception cref="InputException">Nothing of that name, with the closest name if one is near.</exception>
    public static IReadOnlyList<ExperimentDefinition> Find(string argument, string folder)
    {
        if (File.Exists(argument) || Directory.Exists(argument)) return ExperimentDefinition.LoadAll(argument);
        string file = Path.Combine(folder, argument + ".json");
        if (File.Exists(file)) return [ExperimentDefinition.Load(file)];
        if (!Directory.Exists(folder)) throw new InputException($"{argument}: no such experiment; " + RepositoryFolders.Missing(folder));
        var (good, errors) = LoadEach(folder);
        var named = good.Where(d => d.Name == argument).ToArray();
        if (named.Length > 0) return named;
        var candidates = good.Select(d => d.Name)
            .Concat(Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Where(n => n != "schema"));
        string? near = Suggest(argument, candidates);
        throw new InputException($"{argument}: no such experiment in {folder}{(near is null ? "" : $" (did you mean \"{near}\"?)")}"
            + (errors.Count == 0 ? "" : $"; {errors.Count} definition file(s) there do not load (`{SuggestedCommand.Program} list {SuggestedCommand.Quote(folder)}` names them)"));
    }

    /// <summary>
    /// True when <paramref name="argument"/> names an experiment of <paramref name="folder"/> (a definition file, or an
    /// experiment by file stem or by <c>name</c>) and is not a folder: what lets <c>check NAME</c> and <c>report NAME</c>
    /// take a lone argument as an experiment instead of a results folder. Never throws.
    /// </summary>
    public static bool NamesExperiment(string argument, string folder)
    {
        if (Directory.Exists(argument)) return false;
        if (argument.EndsWith(".json", StringComparison.Ordinal) || File.Exists(Path.Combine(folder, argument + ".json"))) return true;
        if (!Directory.Exists(folder)) return false;
        return LoadEach(folder).Good.Any(d => d.Name == argument);
    }

    /// <summary>The candidate closest to <paramref name="input"/> (<see cref="Spelling.Closest"/>).</summary>
    public static string? Suggest(string input, IEnumerable<string> candidates) => Spelling.Closest(input, candidates);

    /// <summary>
    /// The part of each definition that has stored results: the definition narrowed to the seeds whose
    /// results are finished and current, and one error per seed that is not (what <see cref="SuggestedCommand.MissingLines"/>
    /// words with the command that computes it). Sweep variants carry no gates and are not needed here: the report
    /// says which of them are absent (<see cref="MissingSweep"/>). Definitions with no such seed are left out.
    /// </summary>
    public static (IReadOnlyList<ExperimentDefinition> Available, IReadOnlyList<MissingResultException> Missing) Available(
        IReadOnlyList<ExperimentDefinition> definitions, ResultsLayout layout)
    {
        var available = new List<ExperimentDefinition>();
        var missing = new List<MissingResultException>();
        foreach (var d in definitions)
        {
            var present = new List<long>();
            foreach (long seed in d.Seeds)
            {
                try
                {
                    ResultsStore.ReadMetrics(d, layout, [seed]);
                    present.Add(seed);
                }
                catch (MissingResultException e)
                {
                    missing.Add(e);
                }
            }
            if (present.Count > 0) available.Add(d with { Seeds = present });
        }
        return (available, missing);
    }

    /// <summary>The seeds of <paramref name="definition"/>'s sweep variants that have no finished, current result.</summary>
    public static IReadOnlyList<MissingResultException> MissingSweep(ExperimentDefinition definition, ResultsLayout layout)
    {
        var missing = new List<MissingResultException>();
        foreach (var variant in definition.Variants())
            foreach (long seed in definition.Seeds)
            {
                try
                {
                    ResultsStore.ReadMetrics(variant.Definition, layout, [seed]);
                }
                catch (MissingResultException e)
                {
                    missing.Add(e);
                }
            }
        return missing;
    }
}
