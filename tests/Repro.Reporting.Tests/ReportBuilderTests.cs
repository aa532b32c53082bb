using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Repro.Core.Definitions;
using Repro.Runs;

namespace Repro.Reporting.Tests;

/// <summary>One quick seed of every experiment, reported: the Markdown parses and every image link resolves.</summary>
public sealed class ReportBuilderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string RepoRoot() => Repro.Tests.Shared.RepoRoot.Path;

    [Fact]
    public void The_report_of_quick_runs_is_valid_markdown_whose_links_resolve()
    {
        var definitions = ExperimentDefinition.LoadAll(Path.Combine(RepoRoot(), "experiments"))
            .Select(d => d with { Seeds = [1] }).ToArray();
        var options = new RunOptions(_dir, 1, Quick: true, Recompute: false);
        foreach (var d in definitions.SelectMany(d => d.Variants().Select(v => v.Definition).Prepend(d)))
            new ExperimentRunner(options) { FloorSamples = 2000 }.Run(d, 1);

        var verdicts = ReportBuilder.Build(definitions, options.Layout, RepoRoot());

        Assert.Equal(definitions.Sum(d => d.Gates.Count), verdicts.Count);
        var pipeline = new MarkdownPipelineBuilder().UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
            .UseAdvancedExtensions().Build();
        // GitHub-style heading anchors of a page, for links that point into it.
        HashSet<string> Anchors(string page) => Markdown.Parse(File.ReadAllText(page), pipeline).Descendants<HeadingBlock>()
            .Select(h => h.GetAttributes().Id ?? "").ToHashSet(StringComparer.Ordinal);
        var pages = new[] { "REPORT.md" }.Concat(definitions.Select(d => Path.Combine(d.Name, "README.md")));
        foreach (string page in pages)
        {
            string path = Path.Combine(_dir, page);
            var document = Markdown.Parse(File.ReadAllText(path), pipeline);
            var links = document.Descendants<LinkInline>().ToArray();
            Assert.NotEmpty(links);
            foreach (var link in links)
            {
                string target = Uri.UnescapeDataString(link.Url!.Split('#')[0]);
                string resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
                Assert.True(File.Exists(resolved) || Directory.Exists(resolved), $"{page}: link {link.Url} does not resolve");
                if (link.Url.Split('#') is [_, var anchor] && resolved.EndsWith(".md", StringComparison.Ordinal))
                    Assert.True(Anchors(resolved).Contains(anchor), $"{page}: link {link.Url} names no heading of {target}");
            }
            Assert.NotEmpty(document.Descendants<Markdig.Extensions.Tables.Table>());
        }
        // Every figure's caption says which seeds it draws: one seed by number, or every seed.
        foreach (var d in definitions)
        {
            var lines = File.ReadAllLines(Path.Combine(_dir, d.Name, "README.md"));
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].StartsWith("![", StringComparison.Ordinal))
                {
                    string caption = lines.Skip(i + 1).First(l => l.Length > 0);
                    Assert.StartsWith("*", caption);
                    Assert.Matches(@"^\*(Seed \d+|Every seed|Mean over the \d+ seeds)", caption);
                }
        }
        string report = File.ReadAllText(Path.Combine(_dir, "REPORT.md"));
        Assert.Contains("The seed report's claims", report);
        Assert.Contains("dsm-2d-two-blobs/README.md#spread-against-the-step-count", report);
        Assert.Contains("dsm-2d-two-blobs/README.md#sweep-over-noise-level-and-width", report);
        Assert.Contains("| hidden = 128 |", File.ReadAllText(Path.Combine(_dir, "dsm-2d-two-blobs", "README.md")));
        Assert.True(File.Exists(Path.Combine(_dir, "dsm-2d-two-blobs", "figures", "variance-by-step.png")));
        Assert.Contains("Sampler check: a Metropolis–Hastings correction", File.ReadAllText(Path.Combine(_dir, "dsm-2d-blob-line", "README.md")));
        Assert.True(File.Exists(Path.Combine(_dir, "results.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "dsm-2d-blob-line", "metrics.csv")));
    }
}
