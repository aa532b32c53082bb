using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Repro.Reporting.Model;

namespace Repro.Reporting.Tests;

public sealed class MarkdownWriterTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-md-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_page_renders_to_markdown_whose_tables_and_images_parse()
    {
        string png = Path.Combine(_dir, "figures", "loss.png");
        Plots.Loss(png, [(1, Enumerable.Range(1, 300).Select(i => 0.4 + 1.0 / i).ToArray(),
            Enumerable.Range(1, 300).Select(i => i < 200 ? 5e-3 : 2.5e-3).ToArray())], 0.39, "loss");
        var page = new Page("README.md",
        [
            new Heading(1, "Results"),
            new Paragraph("Plain text with a | pipe in a paragraph."),
            new Model.Table(["metric", "value"], [["mmd2 | biased", "0.01"], ["ks", "0.2"]], "A caption."),
            new Figure("figures/loss.png", "loss", "Look for the plateau above the floor."),
        ]);

        string markdown = MarkdownWriter.Render(page);
        var document = Markdown.Parse(markdown, new MarkdownPipelineBuilder().UseAdvancedExtensions().Build());

        var table = Assert.Single(document.Descendants<Markdig.Extensions.Tables.Table>());
        Assert.Equal(3, table.Count);
        Assert.All(table.OfType<TableRow>(), row => Assert.Equal(2, row.Count));
        var image = Assert.Single(document.Descendants<LinkInline>(), l => l.IsImage);
        Assert.True(File.Exists(Path.Combine(_dir, image.Url!)));
        Assert.True(new FileInfo(png).Length > 1000);
    }

    [Fact]
    public void A_table_row_of_the_wrong_width_is_refused()
    {
        var page = new Page("x.md", [new Model.Table(["a", "b"], [["only one"]])]);
        Assert.Throws<ArgumentException>(() => MarkdownWriter.Render(page));
    }
}
