using System.CommandLine;
using Face2Data.Detection;
using Face2Data.Explanation;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using Spectre.Console;

namespace Face2Data.Cli.Commands;

/// <summary>
/// <c>face2data explain</c>: a heatmap of how much each region of a face pushed a head's output, over the face,
/// plus the raw grid as JSON. The face is found and cut as <c>face2data predict</c> does it.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "The image to explain (JPEG, PNG, GIF, BMP, WebP or TIFF)" };
        var model = new Option<string?>("--model") { Description = "ONNX model file, or the name of one shipped beside the bundled model such as face2data-resnet (default: the bundled model)" };
        var head = new Option<string?>("--head") { Description = "Head to explain (default: every head, each at its prediction)" };
        var className = new Option<string?>("--class") { Description = "Class of --head whose probability is explained (default: the predicted class)" };
        var method = new Option<string>("--method") { Description = "occlusion or shap", DefaultValueFactory = _ => "occlusion" };
        method.AcceptOnlyFromAmong([.. ExplanationOptions.MethodNames]);
        var output = new Option<string>("--out") { Description = "Overlay PNG to write (several heads: NAME.HEAD.png); the grid goes to NAME.json", Required = true };
        var grid = new Option<int>("--grid") { Description = "Cells per side of the attribution grid (2 to 16)", DefaultValueFactory = _ => 8 };
        var patch = new Option<int?>("--patch") { Description = "Occlusion patch side in model-input pixels (default: two grid cells)" };
        var stride = new Option<int?>("--stride") { Description = "Occlusion stride in model-input pixels (default: one grid cell)" };
        var baseline = new Option<string>("--baseline") { Description = "What hidden regions become: blur or mean (colour)", DefaultValueFactory = _ => "blur" };
        baseline.AcceptOnlyFromAmong([.. ExplanationOptions.BaselineNames]);
        var samples = new Option<int>("--samples") { Description = "SHAP budget: coalitions evaluated", DefaultValueFactory = _ => 512 };
        var seed = new Option<int>("--seed") { Description = "SHAP sampling seed", DefaultValueFactory = _ => 0 };
        var face = new Option<int>("--face") { Description = "Which face, from 1 = the largest", DefaultValueFactory = _ => 1 };
        var detect = new Option<DetectionMode>("--detect") { Description = "auto, always or never", DefaultValueFactory = _ => DetectionMode.Auto };
        var detector = new Option<string>("--detector") { Description = $"Face detector: {FaceDetectors.Choices}", DefaultValueFactory = _ => FaceDetectors.Default };
        detector.AcceptOnlyFromAmong([.. FaceDetectors.Bundled]);
        var threads = new Option<int>("--threads") { Description = "Inference threads (0 = ONNX Runtime's choice)", DefaultValueFactory = _ => 0 };
        var crops = new FaceCropOptions();
        var command = new Command("explain", "Show which regions of a face pushed the model's answer: a heatmap over the face and the raw grid as JSON.")
        {
            image, model, head, className, method, output, grid, patch, stride, baseline, samples, seed, face, detect, detector, crops.Landmarks, crops.Crop, threads,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetValue(image)!;
            var outPath = parse.GetValue(output)!;
            var request = new ExplanationRequest
            {
                Head = parse.GetValue(head),
                Class = parse.GetValue(className),
                Face = parse.GetValue(face),
                Detection = parse.GetValue(detect),
                Options = new ExplanationOptions
                {
                    Method = ExplanationOptions.ParseMethod(parse.GetValue(method)!),
                    Grid = parse.GetValue(grid),
                    Baseline = ExplanationOptions.ParseBaseline(parse.GetValue(baseline)!),
                    Patch = parse.GetValue(patch),
                    Stride = parse.GetValue(stride),
                    Samples = parse.GetValue(samples),
                    Seed = parse.GetValue(seed),
                },
            };
            try
            {
                var options = new FaceAnalyzerOptions { Detection = request.Detection, IntraOpThreads = parse.GetValue(threads), Alignment = crops.Alignment(parse) };
                using var faceDetector = FaceDetectors.Create(parse.GetValue(detector)!);
                using var landmarker = crops.CreateLandmarker(parse);
                using var analyzer = FaceAnalyzer.Load(BundledModel.PathOrDefault(parse.GetValue(model)), options, faceDetector, landmarker);
                request.Validate(analyzer.Model.Schema, analyzer.Model.Preprocessing.Size);
                using var upright = new ImageDecoder(analyzer.Options.Decode).Decode(File.ReadAllBytes(path));
                var explanation = new FaceExplainer(analyzer).Explain(upright, request, cancellationToken);
                if (explanation is null)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{path}: no face {request.Face} found[/] (detection {request.Detection}; try --detect never for a face crop)");
                    return Task.FromResult(1);
                }

                var written = ExplanationFiles.Save(explanation, outPath, Path.GetFileName(path));
                var where = explanation.Face.Detected ? $"face at {explanation.Face.Box.X},{explanation.Face.Box.Y} {explanation.Face.Box.Width}x{explanation.Face.Box.Height}" : "whole image";
                AnsiConsole.MarkupLineInterpolated($"{path}: {where}");
                for (var i = 0; i < explanation.Heads.Count; i++)
                {
                    var map = explanation.Heads[i].Map;
                    var what = map.Kind == HeadKind.Regression ? $"{map.Head} value" : $"{map.Head} = {map.Class}";
                    AnsiConsole.MarkupLineInterpolated(
                        $"  {what}: f(x) {map.Output:0.###}, f(baseline) {map.BaselineOutput:0.###}, {ExplanationOptions.NameOf(map.Method)} {map.Grid}x{map.Grid}, {map.Evaluations} evaluations, {map.Elapsed.TotalMilliseconds:F0} ms → {written[i]}");
                }

                AnsiConsole.MarkupLineInterpolated($"  grids → {written[^1]}");
                return Task.FromResult(0);
            }
            catch (Exception error) when (error is ArgumentException or ImageDecodeException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{Plain(error)}[/]");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    // An argument error's message without .NET's "(Parameter 'x')" and "Actual value was …" additions.
    private static string Plain(Exception error)
    {
        var message = error.Message.Split('\n')[0].TrimEnd();
        return error is ArgumentException { ParamName: { } name } ? message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : message;
    }
}
