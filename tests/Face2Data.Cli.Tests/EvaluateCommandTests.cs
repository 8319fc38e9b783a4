using Face2Data.Reporting;
using System.CommandLine;
using System.Text.Json;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Reporting.Evaluation;
using Face2Data.Inference;

namespace Face2Data.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-evaluate-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Evaluate_without_a_model_uses_the_bundled_model()
    {
        var faces = Path.Combine(_directory, "faces");
        SyntheticFaces.Create(faces, count: 12, size: 40, seed: 3);
        var output = Path.Combine(_directory, "report");
        using var error = new StringWriter();

        var code = await CommandErrors.InvokeAsync(
            new RootCommand { EvaluateCommand.Create() },
            ["evaluate", "--data", faces, "--out", output, "--cache-dir", Path.Combine(_directory, "cache"), "--threads", "1", "--grid", "4"],
            error);

        using var bundled = OnnxFaceModel.Load(BundledModel.Path);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, EvaluationReportWriter.JsonFile))).RootElement;
        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        Assert.Equal($"{bundled.Manifest.Name} {bundled.Manifest.Version}", report.GetProperty("model").GetString());
        Assert.Equal(12, report.GetProperty("samples").GetInt32());
    }
}
