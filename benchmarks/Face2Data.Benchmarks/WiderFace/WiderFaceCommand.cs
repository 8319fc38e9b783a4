using System.CommandLine;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Models;
using OpenCvSharp;

namespace Face2Data.Benchmarks.WiderFace;

/// <summary>
/// <c>wider</c>: face detection on real photos of a WIDER-format set (the official annotation format), through the
/// same path as <c>face2data predict --detect always</c>: recall of valid faces of at least 64 and 32 px, precision
/// and average precision (valid faces ≥ 32 px) at IoU 0.5 (<see cref="WiderFaceScore"/>), and the detector's median
/// milliseconds per megapixel with OpenCV and ONNX Runtime on one thread.
/// </summary>
internal static class WiderFaceCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A WIDER-format folder: an annotation .txt and images/", DefaultValueFactory = _ => DefaultSet() };
        var detectors = new Option<string>("--detectors") { Description = "Comma-separated detector names; or, separated by ';', detector names and settings as 'detect --setting' takes them (blazeface=short,tile=512)", DefaultValueFactory = _ => "haar,tiny" };
        var settings = new Option<string[]>("--setting")
        {
            Description = "A detector setting as detect takes it, such as ssd=bundled,score=0.4,tile=1024 (repeatable; run after --detectors)",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxFaces = new Option<int>("--max-faces") { Description = "Most faces per photo, the largest (predict's default is 20)", DefaultValueFactory = _ => 20 };
        var limit = new Option<int>("--limit") { Description = "Only the first N photos (0 = all)", DefaultValueFactory = _ => 0 };
        var command = new Command("wider", "Recall per face size, precision and AP of the detectors on a WIDER-format set of real photos.") { data, detectors, settings, maxFaces, limit };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!;
            var annotations = Directory.EnumerateFiles(folder, "*.txt").Single();
            var images = WiderFaceSet.Read(annotations, Path.Combine(folder, "images"));
            if (parse.GetValue(limit) > 0)
            {
                images = images.Take(parse.GetValue(limit)).ToList();
            }

            Cv2.SetNumThreads(1);
            Console.WriteLine($"{images.Count} photos of {annotations}, at most {parse.GetValue(maxFaces)} faces each");
            Console.WriteLine();
            Console.WriteLine("| detector | recall, valid faces ≥ 64 px | recall, ≥ 32 px | precision | AP, valid ≥ 32 px | detection ms per megapixel (median) | detection ms per photo (median) |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            var list = parse.GetValue(detectors)!;
            var names = list.Split(list.Contains(';', StringComparison.Ordinal) ? ';' : ',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(name => (Label: name, Create: (Func<IFaceDetector?>)(() => FaceDetectors.Names.Contains(name) ? FaceDetectors.Create(name) : DetectorSetting.Parse(name).Create())));
            var given = (parse.GetValue(settings) ?? []).Select(DetectorSetting.Parse).Select(s => (s.Label, Create: (Func<IFaceDetector?>)s.Create));
            foreach (var (label, create) in names.Concat(given))
            {
                var (score, msPerMegapixel, msPerPhoto) = Run(images, create, parse.GetValue(maxFaces));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {score.Recall64:F3} | {score.Recall32:F3} | {score.Precision:F3} | {score.AveragePrecision():F3} | {msPerMegapixel:F1} | {msPerPhoto:F1} |"));
            }

            return 0;
        });
        return command;
    }

    private static (WiderFaceScore Score, double MsPerMegapixel, double MsPerPhoto) Run(IReadOnlyList<WiderFaceImage> images, Func<IFaceDetector?> create, int maxFaces)
    {
        using var detector = create();
        var options = new FaceAnalyzerOptions { Detection = DetectionMode.Always, MaxFaces = maxFaces, IntraOpThreads = 1 };
        using var analyzer = BundledModels.LoadAnalyzer(options, detector);
        var score = new WiderFaceScore();
        var perMegapixel = new List<double>();
        var perPhoto = new List<double>();
        foreach (var image in images)
        {
            var analysis = analyzer.Analyze(File.ReadAllBytes(image.Path));
            score.Add(image.Faces, analysis.Faces.Select(f => (f.Box, f.DetectionScore ?? 0f)).ToList());
            perMegapixel.Add(analysis.Timings.DetectMs / (analysis.Width * (double)analysis.Height / 1e6));
            perPhoto.Add(analysis.Timings.DetectMs);
        }

        return (score, Median(perMegapixel), Median(perPhoto));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values[values.Count / 2];
    }

    private static string DefaultSet() =>
        Path.Combine(Path.GetDirectoryName(BenchmarkPaths.DefaultDataset())!, "wider-face-train");
}
