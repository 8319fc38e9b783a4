using Face2Data.Reporting;
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Face2Data.Reporting.Evaluation;
using Face2Data.Inference;
using Face2Data.Training.Training;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data card</c>: rewrites an exported model's card with how it was trained (run folder: split, epochs,
/// time, hardware, the command) and its test evaluation (an <c>evaluate</c> report folder).
/// </summary>
internal static class CardCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Exported ONNX model whose card is rewritten", Required = true };
        var run = new Option<string?>("--run") { Description = "Training run folder (history.json, split.json)" };
        var evaluation = new Option<string?>("--evaluation") { Description = "Folder written by face2data evaluate (report.md, report.json)" };
        var reproduce = new Option<string?>("--reproduce") { Description = "Text file with the commands that reproduce the model" };
        var photos = new Option<string[]>("--photo-evaluation") { Description = "Folders written by face2data evaluate --detector on real-photo sets, one section each (repeatable)", AllowMultipleArgumentsPerToken = true };
        var hardware = new Option<string?>("--hardware") { Description = "Where it was trained (default: this machine)" };
        var command = new Command("card", "Write a model card with the training record and test evaluation.")
        {
            model, run, evaluation, photos, reproduce, hardware,
        };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetValue(model)!;
            using var onnx = OnnxFaceModel.Load(modelPath);
            var sections = new List<ModelCardSection>();
            if (parse.GetValue(run) is { } runDirectory)
            {
                sections.Add(TrainingRecord.ToCardSection(runDirectory, parse.GetValue(hardware) ?? ThisMachine()));
            }

            if (parse.GetValue(reproduce) is { } reproduceFile)
            {
                var commands = File.ReadAllText(reproduceFile).Trim();
                sections.Add(new ModelCardSection("reproduce", "Reproduce", $"```bash\n{commands}\n```", JsonValue.Create(commands)));
            }

            if (parse.GetValue(evaluation) is { } evaluationDirectory)
            {
                sections.Add(EvaluationReportWriter.ToCardSection(evaluationDirectory, Path.GetDirectoryName(Path.GetFullPath(modelPath))!));
            }

            foreach (var photoDirectory in parse.GetValue(photos) ?? [])
            {
                var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(photoDirectory)));
                sections.Add(EvaluationReportWriter.ToCardSection(photoDirectory, Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"photos-{name}", $"Evaluation on real photos: {name}"));
            }

            ModelCard.Write(onnx.Manifest, modelPath, sections);
            AnsiConsole.MarkupLineInterpolated($"Wrote {ModelCard.MarkdownPath(modelPath)} and {ModelCard.JsonPath(modelPath)} ({sections.Count} sections)");
            return 0;
        });
        return command;
    }

    private static string ThisMachine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPU cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F0} GiB memory, no GPU used, {RuntimeInformation.OSDescription}");
    }
}
