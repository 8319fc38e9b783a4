using System.Globalization;
using Face2Data.Reporting.Evaluation;
using ScottPlot;

namespace Face2Data.Reporting.Charts;

/// <summary>
/// Training curves from a run's <c>history.csv</c> (columns <c>epoch, size, lr, train_loss, val_loss, …</c>, then
/// <c>train_&lt;head&gt;_&lt;metric&gt;</c> and <c>val_&lt;head&gt;_&lt;metric&gt;</c>): one chart per metric, train
/// against validation, with dashed lines where the input size changes.
/// </summary>
public static class TrainingCurves
{
    /// <summary>Width of every chart, in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of every chart, in pixels.</summary>
    public const int Height = 500;

    private static readonly string[] Metrics = ["loss", "accuracy", "mae", "rmse", "r2"];

    /// <summary>Reads the curves of a history: the total loss first, then each head's metrics in column order.</summary>
    /// <exception cref="InvalidDataException">The file is not a training history or has no epochs.</exception>
    public static IReadOnlyList<TrainingCurve> Read(string historyCsv) => Curves(historyCsv, ReadCsv(historyCsv));

    /// <summary>
    /// Writes one PNG per curve of <paramref name="historyCsv"/> into <paramref name="outputDirectory"/>:
    /// <c>curve_loss.png</c>, <c>curve_&lt;head&gt;_&lt;metric&gt;.png</c>.
    /// </summary>
    /// <returns>The charts, file names relative to <paramref name="outputDirectory"/>.</returns>
    public static IReadOnlyList<ReportChart> Write(string historyCsv, string outputDirectory)
    {
        var history = ReadCsv(historyCsv);
        var curves = Curves(historyCsv, history);
        var sizes = SizeChanges(history);
        Directory.CreateDirectory(outputDirectory);
        var charts = new List<ReportChart>();
        foreach (var curve in curves)
        {
            var file = curve.Head.Length == 0 ? $"curve_{curve.Metric}.png" : $"curve_{ChartFile.SafeName(curve.Head)}_{curve.Metric}.png";
            WriteChart(curve, Path.Combine(outputDirectory, file), sizes);
            charts.Add(new ReportChart(curve.Title, file, curve.Head));
        }

        return charts;
    }

    private static List<TrainingCurve> Curves(string historyCsv, (string[] Columns, double[][] Rows) history)
    {
        var (columns, rows) = history;
        var epochs = Column(columns, rows, "epoch") ?? throw new InvalidDataException($"'{historyCsv}' is not a training history: it has no 'epoch' column.");
        var curves = new List<TrainingCurve>();
        if (Column(columns, rows, "train_loss") is { } trainLoss)
        {
            curves.Add(new TrainingCurve("", "loss", epochs, trainLoss, Column(columns, rows, "val_loss") ?? []));
        }

        foreach (var name in columns.Where(c => c.StartsWith("train_", StringComparison.Ordinal) && c != "train_loss"))
        {
            var rest = name["train_".Length..];
            var metric = Metrics.FirstOrDefault(m => rest.EndsWith("_" + m, StringComparison.Ordinal));
            if (metric is null)
            {
                continue;
            }

            var head = rest[..^(metric.Length + 1)];
            curves.Add(new TrainingCurve(head, metric, epochs, Column(columns, rows, name)!, Column(columns, rows, "val_" + rest) ?? []));
        }

        return curves;
    }

    /// <summary>Writes one curve as a PNG of <see cref="Width"/> × <see cref="Height"/>.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="sizeChanges">Epochs that start a new input size, marked with a dashed line.</param>
    public static void WriteChart(TrainingCurve curve, string path, IReadOnlyList<double>? sizeChanges = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var plot = ChartFile.NewPlot();
        plot.Title(curve.Title);
        AddSeries(plot, curve.Epochs, curve.Train, "train", ChartPalette.Train);
        if (curve.Validation.Count > 0)
        {
            AddSeries(plot, curve.Epochs, curve.Validation, "validation", ChartPalette.Validation);
        }

        foreach (var epoch in sizeChanges ?? [])
        {
            plot.Add.VerticalLine(epoch - 0.5, 1, Colors.Gray, LinePattern.Dashed);
        }

        plot.XLabel("epoch");
        plot.YLabel(curve.Title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Below the plot, so the legend never hides a curve.
        plot.ShowLegend(Edge.Bottom);
        ChartFile.SavePng(plot, path, Width, Height);
    }

    private static void AddSeries(Plot plot, IReadOnlyList<double> epochs, IReadOnlyList<double> values, string label, Color color)
    {
        // Epochs without a value (NaN) are left out rather than breaking the line.
        var points = epochs.Zip(values).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = points.Length <= 40 ? 6 : 0;
    }

    // Epochs whose input size differs from the previous epoch's (progressive resizing).
    private static IReadOnlyList<double> SizeChanges((string[] Columns, double[][] Rows) history)
    {
        var (columns, rows) = history;
        var epochs = Column(columns, rows, "epoch")!;
        if (Column(columns, rows, "size") is not { } sizes)
        {
            return [];
        }

        return Enumerable.Range(1, sizes.Length - 1).Where(i => sizes[i] != sizes[i - 1]).Select(i => epochs[i]).ToArray();
    }

    private static double[]? Column(string[] columns, double[][] rows, string name)
    {
        var index = Array.IndexOf(columns, name);
        return index < 0 ? null : rows.Select(r => r[index]).ToArray();
    }

    private static (string[] Columns, double[][] Rows) ReadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Training history '{path}' does not exist.", path);
        }

        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"Training history '{path}' is empty.");
        }

        var columns = lines[0].Split(',').Select(c => c.Trim()).ToArray();
        if (lines.Length == 1)
        {
            throw new InvalidDataException($"Training history '{path}' has no epochs yet.");
        }

        var rows = new double[lines.Length - 1][];
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != columns.Length)
            {
                throw new InvalidDataException($"Line {i + 1} of '{path}' has {fields.Length} fields; the header has {columns.Length}.");
            }

            rows[i - 1] = new double[fields.Length];
            for (var f = 0; f < fields.Length; f++)
            {
                if (!double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out rows[i - 1][f]))
                {
                    throw new InvalidDataException($"Line {i + 1} of '{path}' has '{fields[f]}' in column '{columns[f]}', which is not a number.");
                }
            }
        }

        return (columns, rows);
    }
}
