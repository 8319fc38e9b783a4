using System.Globalization;
using System.Text;

namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// Precision, recall, F1 and support per class, accuracy, and macro and weighted averages, computed as
/// scikit-learn's <c>classification_report(y_true, y_pred, labels=range(K))</c> does (undefined ratios count as 0).
/// </summary>
public sealed class ClassificationReport
{
    private const string MacroLabel = "macro avg";
    private const string WeightedLabel = "weighted avg";

    private ClassificationReport(IReadOnlyList<ClassMetrics> classes, double accuracy, ClassMetrics macro, ClassMetrics weighted)
    {
        Classes = classes;
        Accuracy = accuracy;
        MacroAverage = macro;
        WeightedAverage = weighted;
    }

    /// <summary>One row per class, in class order.</summary>
    public IReadOnlyList<ClassMetrics> Classes { get; }

    /// <summary>Correct ÷ all samples; <see cref="double.NaN"/> when there are none.</summary>
    public double Accuracy { get; }

    /// <summary>Unweighted mean of the per-class precision, recall and F1.</summary>
    public ClassMetrics MacroAverage { get; }

    /// <summary>Mean of the per-class precision, recall and F1 weighted by support.</summary>
    public ClassMetrics WeightedAverage { get; }

    /// <summary>Number of samples.</summary>
    public int Support => MacroAverage.Support;

    /// <summary>The report of a confusion matrix.</summary>
    public static ClassificationReport From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var total = matrix.Total;
        var rows = new ClassMetrics[matrix.ClassCount];
        for (var c = 0; c < matrix.ClassCount; c++)
        {
            var truePositives = matrix[c, c];
            var predicted = matrix.PredictedCount(c);
            var support = matrix.Support(c);
            var precision = Ratio(truePositives, predicted);
            var recall = Ratio(truePositives, support);
            var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            rows[c] = new ClassMetrics(matrix.Classes[c], precision, recall, f1, support);
        }

        var macro = new ClassMetrics(MacroLabel, rows.Average(r => r.Precision), rows.Average(r => r.Recall), rows.Average(r => r.F1), total);
        var weighted = new ClassMetrics(
            WeightedLabel,
            Weighted(rows, r => r.Precision, total),
            Weighted(rows, r => r.Recall, total),
            Weighted(rows, r => r.F1, total),
            total);
        return new ClassificationReport(rows, matrix.Accuracy, macro, weighted);
    }

    /// <summary>The report as text laid out exactly like scikit-learn's <c>classification_report</c>.</summary>
    /// <param name="digits">Decimals of the ratios.</param>
    public string ToText(int digits = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        // scikit-learn: width = max(longest class name, len("weighted avg"), digits); every column is 9 wide
        // after a space; the accuracy row leaves precision and recall blank.
        var width = Math.Max(Math.Max(Classes.Max(c => c.Label.Length), WeightedLabel.Length), digits);
        var text = new StringBuilder();
        text.Append(' ', width).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" })
        {
            text.Append(' ').Append(header.PadLeft(9));
        }

        text.Append("\n\n");
        foreach (var row in Classes)
        {
            AppendRow(text, row, width, digits);
        }

        text.Append('\n');
        text.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ', 20)
            .Append(' ').Append(Format(Accuracy, digits).PadLeft(9))
            .Append(' ').Append(Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        AppendRow(text, MacroAverage, width, digits);
        AppendRow(text, WeightedAverage, width, digits);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, ClassMetrics row, int width, int digits) =>
        text.Append(row.Label.PadLeft(width)).Append(' ')
            .Append(' ').Append(Format(row.Precision, digits).PadLeft(9))
            .Append(' ').Append(Format(row.Recall, digits).PadLeft(9))
            .Append(' ').Append(Format(row.F1, digits).PadLeft(9))
            .Append(' ').Append(row.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');

    // .NET rounds the exact binary value half to even, as Python's format does (0.125 → "0.12").
    private static string Format(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double Weighted(ClassMetrics[] rows, Func<ClassMetrics, double> value, int total) =>
        total == 0 ? 0 : rows.Sum(r => value(r) * r.Support) / total;
}
