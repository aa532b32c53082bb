namespace Repro.Reporting.Model;

/// <summary>One block of a report page: the report is built as data first and rendered once.</summary>
public abstract record Block;

/// <summary>A section heading (level 1–6).</summary>
public sealed record Heading(int Level, string Text) : Block;

/// <summary>A paragraph of Markdown inline text (already escaped where it must be).</summary>
public sealed record Paragraph(string Text) : Block;

/// <summary>A bulleted list of inline Markdown items.</summary>
public sealed record BulletList(IReadOnlyList<string> Items) : Block;

/// <summary>A table; cells are inline Markdown (pipes are escaped when rendered).</summary>
public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null) : Block;

/// <summary>An image (a path relative to the page) with its alt text and a caption that says what to look for.</summary>
public sealed record Figure(string RelativePath, string AltText, string Caption) : Block;

/// <summary>A fenced code block.</summary>
public sealed record CodeBlock(string Text, string Language = "") : Block;

/// <summary>A page: its path relative to the report root and its blocks.</summary>
public sealed record Page(string RelativePath, IReadOnlyList<Block> Blocks);
