using Face2Data.Reporting.Evaluation;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Text.Encodings.Web;
using System.Text.Json;
using Face2Data.Datasets;
using Face2Data.IO;
using Face2Data.Inference;

namespace Face2Data.Reporting;

/// <summary>
/// Writes an <see cref="EvaluationReport"/> as <c>report.json</c> (every number; undefined ones as null),
/// <c>report.md</c> and <c>report.html</c> (tables, and the charts as images beside them).
/// </summary>
public static partial class EvaluationReportWriter
{
    /// <summary>File name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Writes the three files into <paramref name="directory"/> (atomically) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var paths = new[] { Path.Combine(directory, JsonFile), Path.Combine(directory, MarkdownFile), Path.Combine(directory, HtmlFile) };
        AtomicFile.WriteAllText(paths[0], ToJson(report));
        AtomicFile.WriteAllText(paths[1], ToMarkdown(report));
        AtomicFile.WriteAllText(paths[2], ToHtml(report));
        return paths;
    }

    /// <summary>The report as indented JSON with snake_case keys.</summary>
    public static string ToJson(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("model", report.Model);
            json.WriteString("architecture", report.Architecture);
            json.WriteNumber("input_size", report.InputSize);
            json.WriteString("dataset", report.Dataset);
            json.WriteString("selection", report.Selection);
            json.WriteNumber("samples", report.SampleCount);
            json.WriteNumber("no_face", report.NoFaceCount);
            Number(json, "seconds", report.Seconds);

            json.WriteStartObject("categorical");
            foreach (var head in report.Categorical)
            {
                WriteCategorical(json, head);
            }

            json.WriteEndObject();
            json.WriteStartObject("regression");
            foreach (var head in report.Regression)
            {
                WriteRegression(json, head);
            }

            json.WriteEndObject();
            json.WriteStartArray("fairness");
            foreach (var table in report.Fairness)
            {
                WriteFairness(json, table);
            }

            json.WriteEndArray();
            json.WriteStartArray("charts");
            foreach (var chart in report.Charts)
            {
                json.WriteStartObject();
                json.WriteString("title", chart.Title);
                json.WriteString("file", chart.File);
                json.WriteString("head", chart.Head);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The report as Markdown.</summary>
    public static string ToMarkdown(EvaluationReport report) => Document(report).ToMarkdown();

    /// <summary>The report as a standalone HTML page.</summary>
    public static string ToHtml(EvaluationReport report) => Document(report).ToHtml();

    private static void WriteCategorical(Utf8JsonWriter json, CategoricalHeadEvaluation head)
    {
        json.WriteStartObject(head.Head);
        Number(json, "accuracy", head.Accuracy);
        json.WriteNumber("support", head.Report.Support);
        json.WriteNumber("unknown", head.Unknown);
        json.WriteNumber("no_face", head.NoFace);
        json.WriteStartArray("classes");
        foreach (var row in head.Report.Classes)
        {
            WriteClassMetrics(json, row);
        }

        json.WriteEndArray();
        json.WritePropertyName("macro_avg");
        WriteClassMetrics(json, head.Report.MacroAverage);
        json.WritePropertyName("weighted_avg");
        WriteClassMetrics(json, head.Report.WeightedAverage);
        json.WriteStartObject("confusion_matrix");
        json.WriteStartArray("labels");
        foreach (var label in head.ConfusionMatrix.Classes)
        {
            json.WriteStringValue(label);
        }

        json.WriteEndArray();
        json.WriteStartArray("counts");
        foreach (var row in head.ConfusionMatrix.ToRows())
        {
            json.WriteStartArray();
            foreach (var count in row)
            {
                json.WriteNumberValue(count);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("calibration");
        Number(json, "ece", head.Calibration.Ece);
        json.WriteStartArray("bins");
        foreach (var bin in head.Calibration.Bins)
        {
            json.WriteStartObject();
            json.WriteNumber("lower", bin.Lower);
            json.WriteNumber("upper", bin.Upper);
            json.WriteNumber("count", bin.Count);
            Number(json, "accuracy", bin.Accuracy);
            Number(json, "confidence", bin.Confidence);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("text", head.Report.ToText());
        json.WriteEndObject();
    }

    private static void WriteClassMetrics(Utf8JsonWriter json, ClassMetrics row)
    {
        json.WriteStartObject();
        json.WriteString("label", row.Label);
        Number(json, "precision", row.Precision);
        Number(json, "recall", row.Recall);
        Number(json, "f1", row.F1);
        json.WriteNumber("support", row.Support);
        json.WriteEndObject();
    }

    private static void WriteRegression(Utf8JsonWriter json, RegressionHeadEvaluation head)
    {
        json.WriteStartObject(head.Head);
        json.WriteString("unit", head.Unit);
        json.WriteNumber("count", head.Metrics.Count);
        json.WriteNumber("unknown", head.Unknown);
        json.WriteNumber("no_face", head.NoFace);
        Number(json, "mae", head.Metrics.Mae);
        Number(json, "rmse", head.Metrics.Rmse);
        Number(json, "r2", head.Metrics.R2);
        Number(json, "mean_error", head.Metrics.MeanError);
        json.WriteStartArray("mae_by_bin");
        foreach (var bin in head.ByBin)
        {
            json.WriteStartObject();
            json.WriteString("bin", bin.Bin);
            json.WriteNumber("count", bin.Count);
            Number(json, "mae", bin.Mae);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFairness(Utf8JsonWriter json, FairnessTable table)
    {
        json.WriteStartObject();
        json.WriteString("grouping", table.Grouping);
        json.WriteStartArray("columns");
        for (var c = 0; c < table.Heads.Count; c++)
        {
            json.WriteStartObject();
            json.WriteString("head", table.Heads[c]);
            json.WriteString("metric", table.Metrics[c]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("groups");
        foreach (var row in table.Rows)
        {
            json.WriteStartObject();
            json.WriteString("group", row.Group);
            json.WriteNumber("count", row.Count);
            json.WriteStartObject("values");
            for (var c = 0; c < table.Heads.Count; c++)
            {
                Number(json, table.Heads[c], row.Values[c]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("gaps");
        foreach (var gap in table.Gaps)
        {
            json.WriteStartObject();
            json.WriteString("head", gap.Head);
            json.WriteString("metric", gap.Metric);
            json.WriteString("best", gap.Best);
            Number(json, "best_value", gap.BestValue);
            json.WriteString("worst", gap.Worst);
            Number(json, "worst_value", gap.WorstValue);
            Number(json, "gap", gap.Gap);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // JSON has no NaN or infinity: undefined values are null.
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static ReportDocument Document(EvaluationReport report)
    {
        var document = new ReportDocument($"Evaluation of {report.Model}");
        var architecture = report.Architecture.Length > 0 ? $" ({report.Architecture}, {report.InputSize} px input)" : "";
        document.Paragraph($"Model {report.Model}{architecture} on {report.Dataset}: {ReportDocument.Count(report.SampleCount)} samples, {report.Selection}.");

        if (report.NoFaceCount > 0)
        {
            document.Paragraph(
                $"No face was found in {ReportDocument.Count(report.NoFaceCount)} of the {ReportDocument.Count(report.SampleCount)} photos: " +
                "they count as wrong answers in every accuracy (summary and groups) and are left out of the per-class tables, calibration and errors of values.");
        }

        document.Heading("Summary");
        var summary = new List<IReadOnlyList<string>>();
        foreach (var head in report.Regression)
        {
            summary.Add([head.Head, "MAE", ReportDocument.Error(head.Metrics.Mae)]);
            summary.Add([head.Head, "RMSE", ReportDocument.Error(head.Metrics.Rmse)]);
            summary.Add([head.Head, "R²", ReportDocument.Ratio(head.Metrics.R2)]);
        }

        foreach (var head in report.Categorical)
        {
            summary.Add([head.Head, "accuracy", ReportDocument.Ratio(head.Accuracy)]);
            summary.Add([head.Head, "macro F1", ReportDocument.Ratio(head.Report.MacroAverage.F1)]);
            summary.Add([head.Head, "ECE", ReportDocument.Ratio(head.Calibration.Ece)]);
        }

        document.Table(["head", "metric", "value"], summary);

        foreach (var head in report.Regression)
        {
            var unit = head.Unit.Length > 0 ? $" ({head.Unit})" : "";
            document.Heading($"{head.Head}{unit}");
            document.Paragraph(
                $"MAE {ReportDocument.Error(head.Metrics.Mae)}, RMSE {ReportDocument.Error(head.Metrics.Rmse)}, R² {ReportDocument.Ratio(head.Metrics.R2)}, " +
                $"mean error {ReportDocument.Error(head.Metrics.MeanError)} over {ReportDocument.Count(head.Metrics.Count)} samples" +
                (head.Unknown > 0 ? $" ({ReportDocument.Count(head.Unknown)} without a known value left out)" : "") +
                (head.NoFace > 0 ? $" ({ReportDocument.Count(head.NoFace)} without a face found left out)." : "."));
            document.Table(["true value", "samples", "MAE"], head.ByBin.Select(b => (IReadOnlyList<string>)[b.Bin, ReportDocument.Count(b.Count), ReportDocument.Error(b.Mae)]));
            AddCharts(document, report, head.Head);
        }

        foreach (var head in report.Categorical)
        {
            document.Heading(head.Head);
            if (head.Unknown > 0)
            {
                document.Paragraph($"{ReportDocument.Count(head.Unknown)} samples without a known class left out.");
            }

            if (head.NoFace > 0)
            {
                document.Paragraph($"Accuracy {ReportDocument.Ratio(head.Accuracy)} counting the {ReportDocument.Count(head.NoFace)} photos without a face found as wrong; the table below covers the faces found.");
            }

            document.Preformatted(head.Report.ToText());
            document.Paragraph($"Expected calibration error ({head.Calibration.Bins.Count} bins): {ReportDocument.Ratio(head.Calibration.Ece)}.");
            document.Table(
                ["confidence", "samples", "accuracy", "mean confidence"],
                head.Calibration.Bins.Where(b => b.Count > 0).Select(b => (IReadOnlyList<string>)
                    [$"{b.Lower:0.0#}–{b.Upper:0.0#}", ReportDocument.Count(b.Count), ReportDocument.Ratio(b.Accuracy), ReportDocument.Ratio(b.Confidence)]));
            AddCharts(document, report, head.Head);
        }

        foreach (var table in report.Fairness)
        {
            document.Heading($"Fairness by {table.Grouping}");
            document.Paragraph("Accuracy (higher is better) or MAE (lower is better) of each head within each group of true labels.");
            var headers = new List<string> { table.Grouping, "samples" };
            headers.AddRange(table.Heads.Select((h, c) => $"{h} {(table.Metrics[c] == FairnessTable.AccuracyMetric ? "accuracy" : "MAE")}"));
            document.Table(headers, table.Rows.Select(row => (IReadOnlyList<string>)
                [row.Group, ReportDocument.Count(row.Count), .. row.Values.Select((v, c) => Metric(table.Metrics[c], v))]));
            document.Table(["head", "best group", "worst group", "gap"], table.Gaps.Select(g => (IReadOnlyList<string>)
                [g.Head, $"{g.Best} ({Metric(g.Metric, g.BestValue)})", $"{g.Worst} ({Metric(g.Metric, g.WorstValue)})", Metric(g.Metric, g.Gap)]));
        }

        var others = report.Charts.Where(c => c.Head.Length == 0).ToList();
        if (others.Count > 0)
        {
            document.Heading("Predictions");
            foreach (var chart in others)
            {
                document.Paragraph(chart.Title);
                document.Image(chart.File, chart.Title);
            }
        }

        return document;
    }

    private static string Metric(string metric, double value) =>
        metric == FairnessTable.AccuracyMetric ? ReportDocument.Ratio(value) : ReportDocument.Error(value);

    private static void AddCharts(ReportDocument document, EvaluationReport report, string head)
    {
        foreach (var chart in report.Charts.Where(c => c.Head == head))
        {
            document.Image(chart.File, chart.Title);
        }
    }

    /// <summary>
    /// A report folder's Markdown as a model-card section (headings moved under the card's, chart links made
    /// relative to <paramref name="cardDirectory"/>) with report.json as its JSON.
    /// </summary>
    /// <param name="evaluationDirectory">Folder written by <see cref="Write"/>.</param>
    /// <param name="cardDirectory">Folder the card is written to.</param>
    /// <param name="key">The section's key in the card's JSON.</param>
    /// <param name="title">The section's heading, such as "Evaluation on real photos: london-faces".</param>
    public static ModelCardSection ToCardSection(string evaluationDirectory, string cardDirectory, string key = "evaluation", string title = "Evaluation (test split)")
    {
        var markdown = File.ReadAllText(Path.Combine(evaluationDirectory, MarkdownFile));
        var relative = Path.GetRelativePath(cardDirectory, Path.GetFullPath(evaluationDirectory)).Replace('\\', '/');
        var lines = markdown.Split('\n').SkipWhile(l => l.StartsWith("# ", StringComparison.Ordinal)).Select(line =>
            line.StartsWith('#') ? "#" + line : ImageLink().Replace(line, m => $"]({relative}/{m.Groups[1].Value})"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluationDirectory, JsonFile)));
        return new ModelCardSection(key, title, string.Join('\n', lines).Trim(), json);
    }


    /// <summary>
    /// The headline metrics of a report folder's report.json as a manifest's <c>head.metric</c> keys: each categorical
    /// head's accuracy, each regression head's MAE, RMSE and R² (numbers the report left undefined are skipped).
    /// </summary>
    /// <exception cref="InvalidDataException">The folder has no report.json, or it is not an evaluation report.</exception>
    public static Dictionary<string, double> ReadMetrics(string evaluationDirectory)
    {
        var path = Path.Combine(evaluationDirectory, JsonFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{evaluationDirectory} has no {JsonFile}: pass a folder written by face2data evaluate.");
        }

        JsonNode? report;
        try
        {
            report = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {error.Message}", error);
        }

        if (report?["categorical"] is not JsonObject categorical || report["regression"] is not JsonObject regression)
        {
            throw new InvalidDataException($"{path} is not an evaluation report (no 'categorical' and 'regression' sections).");
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string head, JsonNode? section, string metric)
        {
            if (section?[metric] is JsonValue value && value.TryGetValue<double>(out var number))
            {
                metrics[$"{head}.{metric}"] = number;
            }
        }

        foreach (var (head, section) in categorical)
        {
            Add(head, section, "accuracy");
        }

        foreach (var (head, section) in regression)
        {
            Add(head, section, "mae");
            Add(head, section, "rmse");
            Add(head, section, "r2");
        }

        return metrics;
    }

    // A Markdown image or link target that is a bare file name: ](confusion_race.png)
    [GeneratedRegex(@"\]\(([^/():]+\.(?:png|html|json|md))\)")]
    private static partial Regex ImageLink();
}
