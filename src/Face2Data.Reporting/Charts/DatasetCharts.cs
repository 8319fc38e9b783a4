using System.Globalization;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;
using ScottPlot;

namespace Face2Data.Reporting.Charts;

/// <summary>
/// Charts of how a dataset's labels are distributed: a pie per categorical head; per regression head a pie of its
/// bins (<see cref="ValueBins.For"/>, age bins for <c>age</c>) and a 20-bin histogram.
/// </summary>
public static class DatasetCharts
{
    /// <summary>Width of every chart, in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of every chart, in pixels.</summary>
    public const int Height = 560;

    // Slices smaller than this share of the pie show their percentage only in the legend, so labels do not overlap.
    private const double MinLabelledShare = 0.04;

    /// <summary>Writes every chart of <paramref name="statistics"/> into <paramref name="directory"/>.</summary>
    /// <returns>The charts, file names relative to <paramref name="directory"/>.</returns>
    public static IReadOnlyList<ReportChart> Write(DatasetStatistics statistics, string directory)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        Directory.CreateDirectory(directory);
        var charts = new List<ReportChart>();
        foreach (var head in statistics.Heads)
        {
            var name = head.Head.Name;
            var safe = ChartFile.SafeName(name);
            if (head.Head.Kind == HeadKind.Categorical)
            {
                charts.Add(Save(directory, $"pie_{safe}.png", $"{name}: {head.Known:N0} samples", name, path =>
                    WritePie(path, $"{name} ({head.Known:N0} samples)", head.Head.Classes, head.ClassCounts)));
                continue;
            }

            charts.Add(Save(directory, $"pie_{safe}_bins.png", $"{name} by bin: {head.Known:N0} samples", name, path =>
                WritePie(path, $"{name} by bin ({head.Known:N0} samples)", head.Bins!.Labels, head.BinCounts)));
            if (head.Histogram is { } histogram)
            {
                var unit = head.Head.Unit.Length > 0 ? $" ({head.Head.Unit})" : "";
                charts.Add(Save(directory, $"histogram_{safe}.png", $"{name} histogram", name, path =>
                    WriteHistogram(path, $"{name} ({head.Known:N0} samples, {histogram.Counts.Count} bins)", name + unit, histogram)));
            }
        }

        return charts;
    }

    /// <summary>Writes a pie chart of counts: slices labelled with their share, a legend with labels and counts.</summary>
    public static void WritePie(string path, string title, IReadOnlyList<string> labels, IReadOnlyList<int> counts, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(counts);
        if (labels.Count != counts.Count || counts.Count == 0)
        {
            throw new ArgumentException($"A pie needs one label per count, got {labels.Count} labels and {counts.Count} counts.", nameof(counts));
        }

        var total = counts.Sum(c => (long)c);
        var plot = ChartFile.NewPlot();
        plot.Title(title);
        if (total > 0)
        {
            var slices = counts.Select((count, i) =>
            {
                var share = (double)count / total;
                return new PieSlice
                {
                    Value = count,
                    Label = share >= MinLabelledShare ? Percent(share) : "",
                    LegendText = $"{labels[i]}: {count:N0} ({Percent(share)})",
                    FillColor = ChartPalette.Category(i),
                    LabelFontName = ChartFile.FontName,
                };
            }).Where(s => s.Value > 0).ToList();
            var pie = plot.Add.Pie(slices);
            pie.SliceLabelDistance = 0.7;
            pie.LineColor = Colors.White;
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            // No legend: ScottPlot draws nothing at all when a legend panel has no items.
            plot.Add.Annotation("no samples", Alignment.MiddleCenter);
        }

        plot.Axes.Frameless();
        plot.Axes.Title.IsVisible = true;
        plot.HideGrid();
        ChartFile.SavePng(plot, path, width, height);
    }

    /// <summary>Writes a histogram as bars spanning their bins.</summary>
    public static void WriteHistogram(string path, string title, string valueLabel, Histogram histogram, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var plot = ChartFile.NewPlot();
        plot.Title(title);
        var bars = histogram.Counts.Select((count, i) => new Bar
        {
            Position = (histogram.Edges[i] + histogram.Edges[i + 1]) / 2,
            Size = (histogram.Edges[i + 1] - histogram.Edges[i]) * 0.95,
            Value = count,
            FillColor = ChartPalette.Category(0),
            LineColor = ChartPalette.Category(0),
        }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Margins(bottom: 0);
        plot.XLabel(valueLabel);
        plot.YLabel("samples");
        ChartFile.SavePng(plot, path, width, height);
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static ReportChart Save(string directory, string file, string title, string head, Action<string> write)
    {
        write(Path.Combine(directory, file));
        return new ReportChart(title, file, head);
    }
}
