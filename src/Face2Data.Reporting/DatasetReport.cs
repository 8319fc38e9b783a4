using System.Globalization;
using Face2Data.IO;
using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Schema;

namespace Face2Data.Reporting;

/// <summary>
/// Writes a dataset's label statistics into a folder: the charts of <see cref="DatasetCharts"/> and a summary,
/// <c>summary.md</c> and <c>summary.html</c>, with the counts as tables and the charts as images.
/// </summary>
public static class DatasetReport
{
    /// <summary>File name of the Markdown summary.</summary>
    public const string MarkdownFile = "summary.md";

    /// <summary>File name of the HTML summary.</summary>
    public const string HtmlFile = "summary.html";

    /// <summary>Writes the charts and both summaries; returns every file written, charts first.</summary>
    public static IReadOnlyList<string> Write(DatasetStatistics statistics, string directory)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var charts = DatasetCharts.Write(statistics, directory);
        var document = Document(statistics, charts);
        var markdown = Path.Combine(directory, MarkdownFile);
        var html = Path.Combine(directory, HtmlFile);
        AtomicFile.WriteAllText(markdown, document.ToMarkdown());
        AtomicFile.WriteAllText(html, document.ToHtml());
        return [.. charts.Select(c => Path.Combine(directory, c.File)), markdown, html];
    }

    /// <summary>The summary as Markdown (charts referenced by file name).</summary>
    public static string ToMarkdown(DatasetStatistics statistics, IReadOnlyList<ReportChart> charts) => Document(statistics, charts).ToMarkdown();

    private static ReportDocument Document(DatasetStatistics statistics, IReadOnlyList<ReportChart> charts)
    {
        var document = new ReportDocument("Dataset statistics");
        document.Paragraph($"{ReportDocument.Count(statistics.SampleCount)} samples in {statistics.Source}; heads: {string.Join(", ", statistics.Heads.Select(h => h.Head.Name))}.");
        foreach (var head in statistics.Heads)
        {
            var unit = head.Head.Unit.Length > 0 ? $" ({head.Head.Unit})" : "";
            document.Heading($"{head.Head.Name}{unit}");
            var unknown = head.Unknown > 0 ? $"; {ReportDocument.Count(head.Unknown)} unknown" : "";
            if (head.Head.Kind == HeadKind.Categorical)
            {
                document.Paragraph($"Categorical, {head.Head.Classes.Count} classes: {ReportDocument.Count(head.Known)} labelled{unknown}.");
                document.Table(["class", "samples", "share"], head.Head.Classes.Select((label, c) => (IReadOnlyList<string>)
                    [label, ReportDocument.Count(head.ClassCounts[c]), Share(head.ClassCounts[c], head.Known)]));
            }
            else
            {
                document.Paragraph(
                    $"Regression over [{Number(head.Head.Min)}, {Number(head.Head.Max)}]: {ReportDocument.Count(head.Known)} labelled{unknown}; " +
                    $"mean {Number(head.Mean)}, standard deviation {Number(head.StandardDeviation)}, min {Number(head.Min)}, median {Number(head.Median)}, max {Number(head.Max)}.");
                document.Table(["bin", "samples", "share"], head.Bins!.Labels.Select((label, b) => (IReadOnlyList<string>)
                    [label, ReportDocument.Count(head.BinCounts[b]), Share(head.BinCounts[b], head.Known)]));
            }

            foreach (var chart in charts.Where(c => c.Head == head.Head.Name))
            {
                document.Image(chart.File, chart.Title);
            }
        }

        return document;
    }

    private static string Share(int count, int total) =>
        total == 0 ? "—" : ((double)count * 100 / total).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.##", CultureInfo.InvariantCulture) : "—";
}
