using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>Every command's help renders: descriptions are console markup, so a bracket in one must be escaped.</summary>
public sealed class HelpTests
{
    /// <summary>The command names the top-level help lists (the first word of each entry under COMMANDS).</summary>
    public static TheoryData<string> Commands()
    {
        // Help is coloured (ANSI escapes) even into a string: strip them before reading names.
        var help = Regex.Replace(CliRun.Of("--help").Out, @"\x1b\[[0-9;]*m", "");
        var section = help[help.IndexOf("COMMANDS:", StringComparison.Ordinal)..];
        var names = Regex.Matches(section, @"^ {1,8}([a-z][a-z-]*)(?=[ <\r]|$)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.True(names.Contains("score-check"), "help was: " + help);
        return new TheoryData<string>(names);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_prints_its_help_and_exits_0(string command)
    {
        var run = CliRun.Of(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("USAGE:", run.Out);
    }
}
