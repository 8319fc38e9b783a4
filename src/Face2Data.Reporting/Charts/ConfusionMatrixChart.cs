using System.Globalization;
using Face2Data.Reporting.Evaluation;
using ScottPlot;

namespace Face2Data.Reporting.Charts;

/// <summary>
/// A confusion matrix as a heatmap: true classes down, predicted classes across, each cell showing its count and
/// coloured by its share of the row (the class's recall on the diagonal), so rare classes read as clearly as common ones.
/// </summary>
public static class ConfusionMatrixChart
{
    /// <summary>Side of the chart for <paramref name="classCount"/> classes: 160 + 80 per class, at least 480 pixels.</summary>
    public static int SizeFor(int classCount) => Math.Max(480, 160 + (80 * classCount));

    /// <summary>Writes the chart as a square PNG of <see cref="SizeFor"/> pixels.</summary>
    public static void Write(ConfusionMatrix matrix, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var k = matrix.ClassCount;
        var shares = new double[k, k];
        for (var actual = 0; actual < k; actual++)
        {
            var support = matrix.Support(actual);
            for (var predicted = 0; predicted < k; predicted++)
            {
                shares[actual, predicted] = support == 0 ? 0 : (double)matrix[actual, predicted] / support;
            }
        }

        var plot = ChartFile.NewPlot();
        plot.Title(title);
        // The heatmap draws row 0 at the top; cell (row r, column c) is centred at (c, k − 1 − r).
        var heatmap = plot.Add.Heatmap(shares);
        // ScottPlot's Blues runs dark to light; reversed, an empty cell is white and a full one dark blue.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var fontSize = k <= 6 ? 16 : k <= 12 ? 12 : 9;
        for (var actual = 0; actual < k; actual++)
        {
            for (var predicted = 0; predicted < k; predicted++)
            {
                var text = plot.Add.Text(matrix[actual, predicted].ToString("N0", CultureInfo.InvariantCulture), predicted, k - 1 - actual);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelFontName = ChartFile.FontName;
                text.LabelFontColor = shares[actual, predicted] > 0.5 ? Colors.White : Colors.Black;
            }
        }

        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, matrix.Classes.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, matrix.Classes.Reverse().ToArray());
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.HideGrid();
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        var size = SizeFor(k);
        ChartFile.SavePng(plot, path, size, size);
    }
}
