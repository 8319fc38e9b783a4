using System.CommandLine;
using Face2Data.Onnx.Converters;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data detector convert</c>: turns face-api.js's Tiny Face Detector weights (a TensorFlow.js manifest and
/// shard from the npm package <c>@vladmandic/face-api</c>) into the ONNX file the <c>tiny</c> detector runs;
/// <c>face2data detector convert-landmarks</c> does the same for its 68-point face landmark network.
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
        var landmarkWeights = new Option<string>("--weights") { Description = "face_landmark_68_model-weights_manifest.json (or the tiny model's; its .bin shard beside it)", Required = true };
        var landmarkOutput = new Option<string>("--out") { Description = "ONNX file to write", Required = true };
        var convertLandmarks = new Command("convert-landmarks", "Convert face-api.js's 68-point face landmark weights to ONNX for the landmarker.")
        {
            landmarkWeights, landmarkOutput,
        };
        convertLandmarks.SetAction(parse =>
        {
            var outPath = parse.GetValue(landmarkOutput)!;
            FaceLandmark68Converter.Convert(parse.GetValue(landmarkWeights)!, outPath);
            AnsiConsole.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0} KB)");
            return 0;
        });
        return new Command("detector", "Face detector and landmark models.") { convert, convertLandmarks };
    }
}
