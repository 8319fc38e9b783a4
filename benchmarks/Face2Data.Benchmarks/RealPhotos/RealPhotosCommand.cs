using System.CommandLine;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Models;
using Face2Data.Reporting;
using OpenCvSharp;

namespace Face2Data.Benchmarks.RealPhotos;

/// <summary>
/// <c>photos</c>: the bundled model (or another Face2Data model, <c>--model</c>) on a labelled set of real photos (london-faces, lfw-gender or any folder with a
/// labels.csv), through the same path as <c>face2data predict</c> (detection auto, the largest face): faces found,
/// gender accuracy (all, women, men), race accuracy and age MAE where the set has them — with box crops or crops
/// aligned on the eyes. The scoring is <c>face2data evaluate --detector</c>'s (<see cref="PhotoEvaluator"/>).
/// </summary>
internal static class RealPhotosCommand
{
    public static Command Create()
    {
        var sets = new Option<string>("--sets") { Description = "Comma-separated set folders or names under ../shared/datasets", DefaultValueFactory = _ => "london-faces,lfw-gender" };
        var detectors = new Option<string>("--detectors") { Description = "Comma-separated detector names", DefaultValueFactory = _ => "haar" };
        var crops = new Option<string>("--crops") { Description = "Comma-separated: box (the model's crop geometry around the box) and/or aligned (eyes placed as in UTKFace)", DefaultValueFactory = _ => "box" };
        var limit = new Option<int>("--limit") { Description = "Only the first N photos of each set (0 = all)", DefaultValueFactory = _ => 0 };
        var model = new Option<string?>("--model") { Description = "A Face2Data ONNX model, such as models/face_api_age_gender.onnx (default: the bundled model); a head it lacks shows –" };
        var command = new Command("photos", "The bundled model (or --model) on labelled real photos: faces found, gender, race and age, with box or aligned crops.") { sets, detectors, crops, limit, model };
        command.SetAction(parse =>
        {
            Cv2.SetNumThreads(1);
            Console.WriteLine("| set | detector | crop | photos | face found | gender | women | men | race | age MAE | ms per photo (median) |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var set in Split(parse.GetValue(sets)!))
            {
                var folder = Directory.Exists(set) ? set : Path.Combine(Path.GetDirectoryName(BenchmarkPaths.DefaultDataset())!, set);
                foreach (var detector in Split(parse.GetValue(detectors)!))
                {
                    foreach (var crop in Split(parse.GetValue(crops)!))
                    {
                        var (count, tally) = Run(folder, parse.GetValue(limit), detector, crop, parse.GetValue(model));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))} | {detector} | {crop} | {count} | {tally.Found} | {tally.Gender} | {tally.Women} | {tally.Men} | {tally.Race} | {tally.AgeMae} | {tally.MedianMs:F1} |"));
                    }
                }
            }

            return 0;
        });
        return command;
    }

    private static (int Photos, PhotoTally Tally) Run(string folder, int limit, string detectorName, string crop, string? modelPath)
    {
        var aligned = crop switch
        {
            "box" => false,
            "aligned" => true,
            _ => throw new ArgumentException($"Unknown crop '{crop}'; expected box or aligned."),
        };
        using var detector = FaceDetectors.Create(detectorName);
        using var landmarker = aligned ? BundledModels.LoadLandmarker() : null;
        var options = new FaceAnalyzerOptions { Detection = DetectionMode.Auto, MaxFaces = 1, IntraOpThreads = 1, Alignment = aligned ? EyeAlignment.UtkFace : null };
        using var analyzer = modelPath is null ? BundledModels.LoadAnalyzer(options, detector, landmarker) : FaceAnalyzer.Load(modelPath, options, detector, landmarker);
        var photos = PhotoEvaluator.OpenLabels(folder, analyzer.OnnxModel.Schema);
        var indices = Enumerable.Range(0, limit > 0 ? Math.Min(limit, photos.Samples.Count) : photos.Samples.Count).ToArray();
        return (indices.Length, new PhotoTally(new PhotoEvaluator(analyzer).Predict(photos, indices)));
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
