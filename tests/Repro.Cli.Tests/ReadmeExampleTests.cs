using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>
/// The README's worked <c>repro stats</c> example is what the command prints on the committed report:
/// each <c>$ repro …</c> line of the block between <c>&lt;!-- stats-example --&gt;</c> markers is run and
/// its output and verdict compared with the lines shown under it.
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void The_readme_stats_example_is_what_the_command_prints()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var block = Regex.Match(readme, @"<!-- stats-example -->\s*```console\n(?<body>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no stats-example block");
        var commands = Regex.Split(block.Groups["body"].Value, @"^\$ ", RegexOptions.Multiline).Where(c => c.Length > 0).ToList();
        Assert.Equal(2, commands.Count);
        var exits = new List<int>();
        foreach (string command in commands)
        {
            string[] lines = command.TrimEnd('\n').Split('\n');
            string[] words = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("repro", words[0]);
            // Paths in the README are relative to the repository root; the test runs from elsewhere.
            string[] args = words.Skip(1).Select(w => w.StartsWith("reports/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Root, w) : w)
                .Concat(["--experiments", RepoPaths.Experiments]).ToArray();
            var run = CliRun.Of(args);
            string shown = run.Out.Replace(RepoPaths.Root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).TrimEnd('\n');
            Assert.Equal(string.Join('\n', lines.Skip(1)), shown);
            exits.Add(run.ExitCode);
        }
        // The first passes (an exact p_σ draw against p_σ), the second is rejected (the same draw against p₀).
        Assert.Equal([ReproApp.Ok, ReproApp.GateFailed], exits);
    }
}
