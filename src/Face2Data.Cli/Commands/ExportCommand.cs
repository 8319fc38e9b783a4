using System.CommandLine;
using Face2Data.Onnx;
using Face2Data.Reporting;
using Face2Data.Training.Export;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data export</c>: writes a checkpoint as an ONNX model with its manifest and model card.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string[]>("--checkpoint")
        {
            Description = "Checkpoint file, such as runs/NAME/best; two or more trainings of one frozen-trunk model (other seeds) make an ensemble that shares the trunk and averages their predictions",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (default: the run folder's name)" };
        var version = new Option<string>("--model-version") { Description = "Model version", DefaultValueFactory = _ => "1" };
        var flip = new Option<bool>("--test-time-flip") { Description = "Average each prediction over the face and its mirror image, inside the graph (one run at batch 2)" };
        var bytes = new Option<bool>("--byte-weights") { Description = "Store those weights as 256 evenly spaced levels per tensor, a byte each: a quarter of their size; measure the outputs' change with evaluate" };
        var metrics = new Option<string?>("--metrics") { Description = "Folder written by face2data evaluate (report.json) whose figures become the manifest's metrics, instead of the checkpoint's validation metrics (an ensemble has none of its own)" };
        var half = new Option<bool>("--half-precision-weights") { Description = "Store the weights that are not already a byte each (trained ones) as float16: half their size, outputs within about 1e-3" };
        var command = new Command("export", "Export a checkpoint to ONNX (opset 17) with its schema, preprocessing and metrics inside.")
        {
            checkpoint, output, name, version, flip, half, bytes, metrics,
        };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            if (parse.GetValue(half) && parse.GetValue(bytes))
            {
                throw new ArgumentException("Choose one of --half-precision-weights and --byte-weights.");
            }

            var weights = parse.GetValue(bytes) ? WeightStorage.Byte : parse.GetValue(half) ? WeightStorage.Float16 : WeightStorage.Float32;
            var checkpoints = parse.GetValue(checkpoint)!;
            var measured = parse.GetValue(metrics) is { } folder ? EvaluationReportWriter.ReadMetrics(folder) : null;
            var manifest = checkpoints.Length == 1
                ? CheckpointExport.Export(checkpoints[0], outPath, parse.GetValue(name), parse.GetValue(version)!, measured, testTimeFlip: parse.GetValue(flip), weights: weights)
                : CheckpointExport.ExportEnsemble(checkpoints, outPath, parse.GetValue(name), parse.GetValue(version)!, measured, testTimeFlip: parse.GetValue(flip), weights: weights);
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:F0} KB): {manifest.Name} {manifest.Version}, {manifest.Architecture}, heads {string.Join(", ", manifest.Schema.Heads.Select(h => h.Name))}, input {manifest.Preprocessing.Size} px{(manifest.TestTimeFlip ? ", test-time flip" : "")}{(weights == WeightStorage.Float32 ? "" : $", {weights} weights")}");
            if (manifest.Metrics.Count == 0)
            {
                AnsiConsole.MarkupLine("[yellow]The manifest carries no metrics: measure them with face2data evaluate --part validation and export again with --metrics.[/]");
            }

            return 0;
        });
        return command;
    }
}
