using System.CommandLine;
using Face2Data.Training.Export;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary><c>face2data export</c>: writes a checkpoint as an ONNX model with its manifest and model card.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file, such as runs/NAME/best", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (default: the run folder's name)" };
        var version = new Option<string>("--model-version") { Description = "Model version", DefaultValueFactory = _ => "1" };
        var flip = new Option<bool>("--test-time-flip") { Description = "Average each prediction over the face and its mirror image, inside the graph (one run at batch 2)" };
        var half = new Option<bool>("--half-precision-weights") { Description = "Store the weights that are not already a byte each (trained ones) as float16: half their size, outputs within about 1e-3" };
        var command = new Command("export", "Export a checkpoint to ONNX (opset 17) with its schema, preprocessing and metrics inside.")
        {
            checkpoint, output, name, version, flip, half,
        };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var manifest = CheckpointExport.Export(parse.GetValue(checkpoint)!, outPath, parse.GetValue(name), parse.GetValue(version)!, testTimeFlip: parse.GetValue(flip), halfPrecisionWeights: parse.GetValue(half));
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:F0} KB): {manifest.Name} {manifest.Version}, {manifest.Architecture}, heads {string.Join(", ", manifest.Schema.Heads.Select(h => h.Name))}, input {manifest.Preprocessing.Size} px{(manifest.TestTimeFlip ? ", test-time flip" : "")}{(parse.GetValue(half) ? ", float16 weights" : "")}");
            return 0;
        });
        return command;
    }
}
