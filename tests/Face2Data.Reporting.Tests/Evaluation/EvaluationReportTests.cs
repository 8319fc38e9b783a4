using Face2Data.Reporting.Charts;
using Face2Data.Reporting;
using System.Text.Json;
using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    // SixPeople: gender true m m f f f m, predicted m m f m f m → [[3, 0], [1, 2]], accuracy 5/6;
    // race (sample 5 unknown) true a a a b b, predicted a b a b b → [[2, 1], [0, 2]], accuracy 4/5;
    // age errors 2, −5, 0, −10, 3, 4 → MAE 24/6 = 4, mean error −6/6 = −1.
    // Every categorical confidence is 0.75 (bin 7): gender ECE = |5/6 − 0.75| = 1/12, race ECE = |4/5 − 0.75| = 0.05.
    private static EvaluationReport Report() => EvaluationReport.From(TestPredictions.SixPeople(), "test-model 1", "memory", "all samples");

    [Fact]
    public void From_computes_every_head()
    {
        var report = Report();

        Assert.Equal(6, report.SampleCount);
        var gender = report.Categorical[0];
        Assert.Equal(("gender", 0), (gender.Head, gender.Unknown));
        Assert.Equal([[3, 0], [1, 2]], gender.ConfusionMatrix.ToRows());
        Assert.Equal(5.0 / 6, gender.Report.Accuracy, 12);
        Assert.Equal(1.0 / 12, gender.Calibration.Ece, 6);
        var race = report.Categorical[1];
        Assert.Equal(("race", 1), (race.Head, race.Unknown));
        Assert.Equal([[2, 1], [0, 2]], race.ConfusionMatrix.ToRows());
        Assert.Equal(0.05, race.Calibration.Ece, 6);
        var age = Assert.Single(report.Regression);
        Assert.Equal(("age", "years", 6), (age.Head, age.Unit, age.Metrics.Count));
        Assert.Equal(4, age.Metrics.Mae, 12);
        Assert.Equal(-1, age.Metrics.MeanError, 12);
        Assert.Equal([1, 1, 2, 1, 0, 1, 0], age.ByBin.Select(b => b.Count));
        Assert.Equal(["race × gender", "age"], report.Fairness.Select(f => f.Grouping));
    }

    [Fact]
    public void ToJson_holds_the_numbers_and_writes_undefined_ones_as_null()
    {
        using var json = JsonDocument.Parse(EvaluationReportWriter.ToJson(Report()));
        var root = json.RootElement;

        Assert.Equal(6, root.GetProperty("samples").GetInt32());
        var gender = root.GetProperty("categorical").GetProperty("gender");
        Assert.Equal(5.0 / 6, gender.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(2.0 / 3, gender.GetProperty("classes")[1].GetProperty("recall").GetDouble(), 12);
        Assert.Equal(1, gender.GetProperty("confusion_matrix").GetProperty("counts")[1][0].GetInt32());
        Assert.Equal(JsonValueKind.Null, gender.GetProperty("calibration").GetProperty("bins")[0].GetProperty("accuracy").ValueKind);
        Assert.Equal(4, root.GetProperty("regression").GetProperty("age").GetProperty("mae").GetDouble(), 12);
        var byAge = root.GetProperty("fairness")[1];
        Assert.Equal("<10", byAge.GetProperty("groups")[0].GetProperty("group").GetString());
        Assert.Equal(JsonValueKind.Null, byAge.GetProperty("groups")[0].GetProperty("values").GetProperty("race").ValueKind);
        Assert.Equal(10, byAge.GetProperty("gaps")[0].GetProperty("gap").GetDouble());
    }

    [Fact]
    public void Markdown_shows_the_classification_reports_and_fairness_tables()
    {
        var report = Report() with { Charts = [new ReportChart("gender confusion matrix", "confusion_gender.png", "gender"), new ReportChart("grid", "predictions.png")] };

        var markdown = EvaluationReportWriter.ToMarkdown(report);

        Assert.Contains("```text\n" + report.Categorical[0].Report.ToText().TrimEnd('\n') + "\n```", markdown);
        Assert.Contains("| a · m | 2 | 3.50 | 1.0000 | 0.5000 |", markdown);
        Assert.Contains("| age | a · f (0.00) | b · f (6.50) | 6.50 |", markdown);
        Assert.Contains("| 20–30 | 2 | 2.50 |", markdown);
        Assert.Contains("![gender confusion matrix](confusion_gender.png)", markdown);
        Assert.Contains("![grid](predictions.png)", markdown);
    }

    [Fact]
    public void Html_escapes_labels_and_links_the_charts()
    {
        var report = Report() with { Charts = [new ReportChart("gender confusion matrix", "confusion_gender.png", "gender")] };

        var html = EvaluationReportWriter.ToHtml(report);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<td>&lt;10</td>", html);
        Assert.Contains("<img src=\"confusion_gender.png\" alt=\"gender confusion matrix\">", html);
        Assert.EndsWith("</html>\n", html);
    }

    [Fact]
    public void Write_creates_the_json_markdown_and_html_reports()
    {
        using var folder = new TempDirectory();

        var paths = EvaluationReportWriter.Write(Report(), folder.Path);

        Assert.Equal(["report.json", "report.md", "report.html"], paths.Select(Path.GetFileName));
        Assert.Equal(EvaluationReportWriter.ToMarkdown(Report()), File.ReadAllText(paths[1]));
        Assert.Equal(["report.html", "report.json", "report.md"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }
}
