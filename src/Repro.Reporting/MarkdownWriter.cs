using System.Text;
using Repro.Reporting.Model;

namespace Repro.Reporting;

/// <summary>Renders a <see cref="Page"/> as CommonMark with GitHub tables; the only place Markdown syntax is written.</summary>
public static class MarkdownWriter
{
    /// <summary>The page as Markdown text (LF line endings, one blank line between blocks).</summary>
    public static string Render(Page page)
    {
        var sb = new StringBuilder();
        foreach (var block in page.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    sb.Append('#', Math.Clamp(h.Level, 1, 6)).Append(' ').Append(OneLine(h.Text)).Append('\n');
                    break;
                case Paragraph p:
                    sb.Append(p.Text.Trim()).Append('\n');
                    break;
                case BulletList l:
                    foreach (string item in l.Items) sb.Append("- ").Append(OneLine(item)).Append('\n');
                    break;
                case Table t:
                    sb.Append("| ").Append(string.Join(" | ", t.Header.Select(Cell))).Append(" |\n");
                    sb.Append('|').Append(string.Concat(t.Header.Select(_ => "---|"))).Append('\n');
                    foreach (var row in t.Rows)
                    {
                        if (row.Count != t.Header.Count)
                            throw new ArgumentException($"table row has {row.Count} cells but the header has {t.Header.Count}");
                        sb.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                    }
                    if (t.Caption is { } caption) sb.Append('\n').Append('*').Append(OneLine(caption)).Append("*\n");
                    break;
                case Figure f:
                    sb.Append("![").Append(OneLine(f.AltText).Replace("]", "\\]")).Append("](")
                      .Append(f.RelativePath.Replace(" ", "%20")).Append(")\n\n");
                    sb.Append('*').Append(OneLine(f.Caption)).Append("*\n");
                    break;
                case CodeBlock c:
                    sb.Append("```").Append(c.Language).Append('\n').Append(c.Text.TrimEnd('\n')).Append("\n```\n");
                    break;
                default:
                    throw new ArgumentException($"no Markdown rendering for {block.GetType().Name}");
            }
            sb.Append('\n');
        }
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ").Trim();

    static string Cell(string text) => OneLine(text).Replace("|", "\\|");
}
