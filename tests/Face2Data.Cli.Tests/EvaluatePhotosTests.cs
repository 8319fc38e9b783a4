using System.CommandLine;
using System.Text.Json;
using Face2Data.Cli.Commands;
using Face2Data.Reporting;
using Face2Data.Testing;
using OpenCvSharp;

namespace Face2Data.Cli.Tests;

/// <summary>
/// <c>face2data evaluate --detector</c> on labelled real photos: a few London portraits copied into a temporary folder
/// with a labels.csv written here (never committed) and a plain grey JPEG without a face.
/// </summary>
public sealed class EvaluatePhotosTests : IDisposable
{
    // file, age, gender, ethnicity, race of London portraits (../shared/datasets/london-faces/labels.csv).
    private static readonly string[] London =
    [
        "001_neutral.jpg,24,female,white,white",
        "004_neutral.jpg,30,male,white,white",
        "005_neutral.jpg,28,male,east_asian,asian",
        "006_neutral.jpg,31,female,west_asian,others",
        "025_neutral.jpg,21,female,black,black",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-evaluate-photos-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Evaluate_with_a_detector_scores_photos_counts_those_without_a_face_and_groups_by_ethnicity()
    {
        var csv = WriteSet("file,age,gender,ethnicity,race", London.Select(l => l), "grey.jpg,,male,,");

        var (code, error, report) = await Evaluate(csv);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(6, report.GetProperty("samples").GetInt32());
        Assert.Equal(1, report.GetProperty("no_face").GetInt32());
        var gender = report.GetProperty("categorical").GetProperty("gender");
        Assert.Equal(1, gender.GetProperty("no_face").GetInt32());
        // The grey photo is a wrong answer: at most 5 of 6 right.
        Assert.InRange(gender.GetProperty("accuracy").GetDouble(), 0, 5.0 / 6 + 1e-9);
        Assert.Equal(1, report.GetProperty("categorical").GetProperty("race").GetProperty("unknown").GetInt32());
        Assert.Equal(5, report.GetProperty("regression").GetProperty("age").GetProperty("count").GetInt32());
        var groupings = report.GetProperty("fairness").EnumerateArray().ToDictionary(t => t.GetProperty("grouping").GetString()!, t => t);
        Assert.Contains("race × gender", groupings.Keys);
        Assert.Contains("age", groupings.Keys);
        var ethnicity = groupings["ethnicity × gender"].GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("group").GetString()!).ToArray();
        Assert.Equal(["black · female", "east_asian · male", "west_asian · female", "white · male", "white · female"], ethnicity);
    }

    [Fact]
    public async Task Evaluate_with_a_detector_on_a_gender_only_csv_evaluates_just_gender()
    {
        var csv = WriteSet("file,gender", London.Take(3).Select(l => string.Join(',', l.Split(',')[0], l.Split(',')[2])));

        var (code, error, report) = await Evaluate(csv);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(["gender"], report.GetProperty("categorical").EnumerateObject().Select(p => p.Name));
        Assert.Empty(report.GetProperty("regression").EnumerateObject());
        var table = Assert.Single(report.GetProperty("fairness").EnumerateArray());
        Assert.Equal("gender", table.GetProperty("grouping").GetString());
        Assert.Equal(["male", "female"], table.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("group").GetString()!));
    }

    [Fact]
    public async Task Evaluate_with_a_detector_names_a_label_that_is_not_a_class_of_the_model_and_its_line()
    {
        var csv = WriteSet("file,gender", ["001_neutral.jpg,female", "004_neutral.jpg,man"]);

        var (code, error, _) = await Evaluate(csv, readReport: false);

        Assert.Equal(CommandErrors.UserError, code);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("unknown label 'man' in column 'gender'", error, StringComparison.Ordinal);
    }

    // Copies the named London portraits beside a labels.csv of the given rows; grey.jpg is a plain grey 800 × 600 JPEG
    // (not near-square, so detection auto does not take it whole as a face crop).
    private string WriteSet(string header, IEnumerable<string> rows, params string[] more)
    {
        var lines = rows.Concat(more).ToArray();
        foreach (var file in lines.Select(l => l.Split(',')[0]))
        {
            var target = Path.Combine(_directory, file);
            if (file == "grey.jpg")
            {
                using var grey = new Mat(600, 800, MatType.CV_8UC3, new Scalar(128, 128, 128));
                Cv2.ImWrite(target, grey);
            }
            else
            {
                File.Copy(Path.Combine(TestPaths.LondonFaceImages, file), target, overwrite: true);
            }
        }

        var csv = Path.Combine(_directory, "labels.csv");
        File.WriteAllLines(csv, lines.Prepend(header));
        return csv;
    }

    private async Task<(int Code, string Error, JsonElement Report)> Evaluate(string csv, bool readReport = true)
    {
        var output = Path.Combine(_directory, "report");
        using var error = new StringWriter();
        var code = await CommandErrors.InvokeAsync(
            new RootCommand { EvaluateCommand.Create() },
            ["evaluate", "--data", Path.GetDirectoryName(csv)!, "--detector", "blazeface", "--out", output, "--threads", "1"],
            error);
        var report = readReport && code == 0
            ? JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, EvaluationReportWriter.JsonFile))).RootElement.Clone()
            : default;
        return (code, error.ToString(), report);
    }
}
