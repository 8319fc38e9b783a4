using System.Globalization;
using System.Net;
using System.Text;

namespace Face2Data.Reporting;

/// <summary>
/// A report as a list of headings, paragraphs, tables, preformatted text and images, rendered to Markdown or to a
/// standalone HTML page; so both formats always say the same thing.
/// </summary>
internal sealed class ReportDocument(string title)
{
    private readonly List<Block> _blocks = [];

    public string Title { get; } = title;

    public ReportDocument Heading(string text, int level = 2) => Add(new Block(BlockKind.Heading, text, Level: level));

    public ReportDocument Paragraph(string text) => Add(new Block(BlockKind.Paragraph, text));

    public ReportDocument Preformatted(string text) => Add(new Block(BlockKind.Preformatted, text));

    public ReportDocument Image(string file, string alt) => Add(new Block(BlockKind.Image, alt, File: file));

    /// <summary>A table; columns after the first are numbers, aligned right.</summary>
    public ReportDocument Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        Add(new Block(BlockKind.Table, "", Headers: headers, Rows: rows.ToList()));

    /// <summary>A ratio such as accuracy, 4 decimals; a dash when undefined.</summary>
    public static string Ratio(double value) => Number(value, "F4");

    /// <summary>An error in a head's units, 2 decimals; a dash when undefined.</summary>
    public static string Error(double value) => Number(value, "F2");

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Title).Append("\n\n");
        foreach (var block in _blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Heading:
                    text.Append('#', block.Level).Append(' ').Append(block.Text).Append("\n\n");
                    break;
                case BlockKind.Paragraph:
                    text.Append(block.Text).Append("\n\n");
                    break;
                case BlockKind.Preformatted:
                    text.Append("```text\n").Append(block.Text.TrimEnd('\n')).Append("\n```\n\n");
                    break;
                case BlockKind.Image:
                    text.Append("![").Append(block.Text).Append("](").Append(Uri.EscapeDataString(block.File!)).Append(")\n\n");
                    break;
                case BlockKind.Table:
                    text.Append("| ").AppendJoin(" | ", block.Headers!.Select(MarkdownCell)).Append(" |\n");
                    text.Append("|").AppendJoin("|", block.Headers!.Select((_, i) => i == 0 ? " --- " : " ---: ")).Append("|\n");
                    foreach (var row in block.Rows!)
                    {
                        text.Append("| ").AppendJoin(" | ", row.Select(MarkdownCell)).Append(" |\n");
                    }

                    text.Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    public string ToHtml()
    {
        var text = new StringBuilder();
        text.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Html(Title)).Append("</title>\n")
            .Append("<style>\n")
            .Append("body { font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #222; }\n")
            .Append("table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n")
            .Append("th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }\n")
            .Append("th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }\n")
            .Append("pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; }\n")
            .Append("img { max-width: 100%; border: 1px solid #eee; }\n")
            .Append("</style>\n</head>\n<body>\n<h1>").Append(Html(Title)).Append("</h1>\n");
        foreach (var block in _blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Heading:
                    text.Append("<h").Append(block.Level).Append('>').Append(Html(block.Text)).Append("</h").Append(block.Level).Append(">\n");
                    break;
                case BlockKind.Paragraph:
                    text.Append("<p>").Append(Html(block.Text)).Append("</p>\n");
                    break;
                case BlockKind.Preformatted:
                    text.Append("<pre>").Append(Html(block.Text.TrimEnd('\n'))).Append("</pre>\n");
                    break;
                case BlockKind.Image:
                    text.Append("<p><img src=\"").Append(Html(Uri.EscapeDataString(block.File!))).Append("\" alt=\"").Append(Html(block.Text)).Append("\"></p>\n");
                    break;
                case BlockKind.Table:
                    text.Append("<table>\n<tr>");
                    foreach (var header in block.Headers!)
                    {
                        text.Append("<th>").Append(Html(header)).Append("</th>");
                    }

                    text.Append("</tr>\n");
                    foreach (var row in block.Rows!)
                    {
                        text.Append("<tr>");
                        for (var i = 0; i < row.Count; i++)
                        {
                            text.Append(i == 0 ? "<td>" : "<td class=\"n\">").Append(Html(row[i])).Append("</td>");
                        }

                        text.Append("</tr>\n");
                    }

                    text.Append("</table>\n");
                    break;
            }
        }

        return text.Append("</body>\n</html>\n").ToString();
    }

    private static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string MarkdownCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private ReportDocument Add(Block block)
    {
        _blocks.Add(block);
        return this;
    }

    private enum BlockKind
    {
        Heading,
        Paragraph,
        Preformatted,
        Image,
        Table,
    }

    private sealed record Block(BlockKind Kind, string Text, int Level = 0, string? File = null, IReadOnlyList<string>? Headers = null, List<IReadOnlyList<string>>? Rows = null);
}
