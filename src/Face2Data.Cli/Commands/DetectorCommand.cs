using System.CommandLine;
using Face2Data.Onnx.Converters;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data detector convert</c>: turns face-api.js's Tiny Face Detector weights (a TensorFlow.js manifest and
/// shard from the npm package <c>@vladmandic/face-api</c>) into the ONNX file the <c>tiny</c> detector runs.
/// </summary>
internal static class DetectorCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "tiny_face_detector_model-weights_manifest.json (its .bin shard beside it)", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var convert = new Command("convert", "Convert face-api.js's Tiny Face Detector weights to ONNX for the tiny detector.")
        {
            weights, output,
        };
        convert.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            TinyFaceDetectorConverter.Convert(parse.GetValue(weights)!, outPath);
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return new Command("detector", "Face detector models.") { convert };
    }
}
