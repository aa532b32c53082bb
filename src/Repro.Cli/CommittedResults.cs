using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using Repro.Core;

namespace Repro.Cli;

/// <summary>
/// A results folder named on the command line: a folder, or a git revision whose committed results
/// are extracted (<c>git archive</c>) into a temporary folder that is deleted on <see cref="Dispose"/>.
/// <c>HEAD</c>, <c>main</c> or a commit name the committed <c>reports/</c>; <c>REV:PATH</c> another folder.
/// </summary>
public sealed class CommittedResults : IDisposable
{
    /// <summary>Where the results are on disk.</summary>
    public string Folder { get; }

    /// <summary>How outputs name them: the folder, or <c>REV:PATH (commit abc1234)</c>.</summary>
    public string Label { get; }

    /// <summary>The commit when read from git, else null.</summary>
    public string? Commit { get; }

    readonly string? _temporary;

    CommittedResults(string folder, string label, string? commit, string? temporary)
    {
        (Folder, Label, Commit, _temporary) = (folder, label, commit, temporary);
    }

    /// <summary>
    /// Resolves <paramref name="argument"/>: an existing folder as it is; otherwise a git revision
    /// (optionally <c>REV:PATH</c>, default path <paramref name="defaultPath"/>) of the repository at
    /// or above <paramref name="workingDirectory"/>.
    /// </summary>
    /// <exception cref="InputException">Neither a folder nor a revision, or the revision has no such committed folder.</exception>
    public static CommittedResults Resolve(string argument, string workingDirectory, string defaultPath = "reports")
    {
        if (Directory.Exists(argument)) return new CommittedResults(argument, argument, null, null);
        string? root = Commands.ResultsSettings.RepositoryRootOf(Path.GetFullPath(workingDirectory));
        if (root is null)
            throw new InputException($"{argument}: no such results folder (and {Path.GetFullPath(workingDirectory)} is not in a git checkout, so it is not read as a revision)");
        int colon = argument.IndexOf(':');
        string revision = colon < 0 ? argument : argument[..colon];
        string path = colon < 0 ? defaultPath : argument[(colon + 1)..].Trim('/');
        if (revision.Length == 0 || path.Length == 0 || revision.StartsWith('-'))
            throw new InputException($"{argument}: no such results folder, nor a git revision (REV or REV:PATH)");
        return FromRevision(root, revision, path, argument);
    }

    /// <summary>
    /// The results folder <paramref name="path"/> (relative to the repository root) as committed at
    /// <paramref name="revision"/>, extracted into a temporary folder, labelled <c>REV:PATH (abc1234)</c>.
    /// </summary>
    /// <param name="root">The repository root.</param>
    /// <param name="revision">A revision git understands (HEAD, main, a commit).</param>
    /// <param name="path">The folder inside the repository.</param>
    /// <param name="argument">How errors name the request.</param>
    public static CommittedResults FromRevision(string root, string revision, string path, string argument)
    {
        var (code, output, error) = Git(root, null, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        if (code != 0)
            throw new InputException($"{argument}: no such results folder, nor a git revision of {root}");
        string commit = output.Trim();
        string temporary = Directory.CreateTempSubdirectory("repro-diff-").FullName;
        try
        {
            (code, _, error) = Git(root, temporary, "archive", "--format=tar", commit, "--", path);
            if (code != 0)
                throw new InputException($"{argument}: {revision} ({commit[..7]}) has no committed {path}/ ({FirstLine(error)})");
            string folder = Path.Combine(temporary, path.Replace('/', Path.DirectorySeparatorChar));
            if (!Directory.Exists(folder))
                throw new InputException($"{argument}: {path} at {revision} ({commit[..7]}) is a file, not a results folder");
            return new CommittedResults(folder, $"{revision}:{path} ({commit[..7]})", commit, temporary);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>True when <paramref name="revision"/> names a commit of the repository at <paramref name="root"/> that holds <paramref name="path"/>.</summary>
    public static bool HasCommitted(string root, string revision, string path)
    {
        try
        {
            return Git(root, null, "cat-file", "-e", $"{revision}:{path}").Code == 0;
        }
        catch (InputException)
        {
            return false;
        }
    }

    /// <summary>Runs git in <paramref name="root"/>; with <paramref name="extractTo"/>, its standard output is a tar stream extracted there.</summary>
    static (int Code, string Output, string Error) Git(string root, string? extractTo, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(root);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InputException("git: could not be started");
        }
        catch (Win32Exception e)
        {
            throw new InputException($"git: not available to read a revision ({e.Message})");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = "";
            if (extractTo is null)
            {
                output = process.StandardOutput.ReadToEnd();
            }
            else
            {
                try
                {
                    TarFile.ExtractToDirectory(process.StandardOutput.BaseStream, extractTo, overwriteFiles: false);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    // git failed before writing a whole archive: its message on standard error says why.
                }
                process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            }
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
    }

    static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "git failed";

    /// <summary>Deletes the extracted copy (nothing for a plain folder).</summary>
    public void Dispose()
    {
        if (_temporary is not null && Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
