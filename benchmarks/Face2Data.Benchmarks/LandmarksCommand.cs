using System.CommandLine;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>landmarks</c>: where <see cref="FaceLandmark68Landmarker"/> puts the five points in UTKFace's 200×200 training
/// crops, for each framing (crop geometry from the box) asked for, and its sanity on the London portraits.
/// </summary>
/// <remarks>
/// UTKFace crops are aligned (eyes level at fixed places), so the roll's spread over the crops is the landmarks'
/// noise, and the points' medians are the template a similarity transform aligns photo faces to. Two boxes per crop:
/// the whole crop (UTKFace's own framing) and the default Haar detector's box on the crop (the detector pads a crop
/// itself), which is what a photo's face gets in predict's path. Jitter: the mean distance the five points move,
/// over the inter-ocular distance, when the box moves by 5% of its side (four directions) or grows or shrinks by 5%.
/// Times are one thread's CPU time per face (landmarks only, not detection).
/// </remarks>
internal static class LandmarksCommand
{
    private static readonly string[] PointNames = ["left eye", "right eye", "nose", "mouth left", "mouth right"];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var london = new Option<string?>("--london") { Description = "Folder of the London portraits (default ../shared/datasets/london-faces/images; 'none' skips them)" };
        var count = new Option<int>("--count") { Description = "UTKFace crops sampled", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var model = new Option<string?>("--model") { Description = "ONNX file (default: the bundled models/face_landmark_68.onnx)" };
        var framings = new Option<string?>("--framings") { Description = "Framings to compare, as scale/shift pairs separated by commas (e.g. 1/0,1.2/0.05); default: the landmarker's default only" };
        var command = new Command("landmarks", "Where the 68-point landmark network puts the eyes, nose and mouth in UTKFace crops; sanity on the London portraits.")
        {
            data, london, count, seed, model, framings,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var geometries = ParseFramings(parse.GetValue(framings));
            var londonFolder = parse.GetValue(london) ?? Path.Combine(Path.GetDirectoryName(parse.GetValue(data)!) ?? ".", "london-faces", "images");
            Run(parse.GetValue(data)!, londonFolder == "none" ? null : londonFolder, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(model), geometries, cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }

    private static List<CropGeometry> ParseFramings(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [FaceLandmark68LandmarkerOptions.DefaultFraming];
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('/'))
            .Select(parts => new CropGeometry
            {
                Scale = double.Parse(parts[0], CultureInfo.InvariantCulture),
                ShiftY = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 0,
            })
            .ToList();
    }

    private static void Run(string data, string? londonFolder, int count, int seed, string? modelPath, List<CropGeometry> geometries, CancellationToken cancellationToken)
    {
        Cv2.SetNumThreads(1);
        using var sample = UtkFaceSample.Read(data, count, seed, cancellationToken);
        using var haar = new HaarFaceDetector();
        var haarBoxes = sample.Images.Select(i => haar.Detect(i.Image) is [var face, ..] ? face.Box : (FaceBox?)null).ToList();
        Console.WriteLine($"{sample.Images.Count} UTKFace crops (seed {seed}); the Haar detector found a face in {haarBoxes.Count(b => b is not null)}; model {modelPath ?? "bundled"}");
        Console.WriteLine();
        Console.WriteLine($"| framing (scale / shift) | box | roll ° median (p10–p90) | eye y median (p10–p90) | inter-ocular px median | jitter / inter-ocular | eyes above mouth | ms per face |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var details = new List<(string Title, List<FaceLandmarks> Marks)>();
        foreach (var geometry in geometries)
        {
            using var landmarker = new FaceLandmark68Landmarker(new FaceLandmark68LandmarkerOptions { ModelPath = modelPath, Framing = geometry });
            var name = FormattableString.Invariant($"{geometry.Scale:0.00} / {geometry.ShiftY:0.00}");
            foreach (var (boxName, boxes) in new[] { ("whole crop", sample.Images.Select(i => (FaceBox?)new FaceBox(0, 0, i.Image.Width, i.Image.Height)).ToList()), ("haar", haarBoxes) })
            {
                var marks = new List<FaceLandmarks>();
                var jitters = new List<double>();
                var start = ThreadCpuClock.NowMs();
                for (var i = 0; i < sample.Images.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (boxes[i] is { } box)
                    {
                        marks.Add(landmarker.Locate(sample.Images[i].Image, box));
                    }
                }

                var ms = (ThreadCpuClock.NowMs() - start) / Math.Max(1, marks.Count);
                for (var i = 0; i < sample.Images.Count && i < 100; i++)
                {
                    if (boxes[i] is { } box)
                    {
                        jitters.Add(Jitter(landmarker, sample.Images[i].Image, box));
                    }
                }

                var above = marks.Count(m => Math.Max(m.LeftEye.Y, m.RightEye.Y) < Math.Min(m.MouthLeft.Y, m.MouthRight.Y) && m.LeftEye.X < m.RightEye.X);
                Console.WriteLine($"| {name} | {boxName} | {Spread(marks.Select(m => m.RollDegrees).ToList(), "0.0")} | {Spread(marks.SelectMany(m => new[] { (double)m.LeftEye.Y, m.RightEye.Y }).ToList(), "0.0")} | {Statistics.Median(marks.Select(InterOcular).ToList()):0.0} | {Statistics.Median(jitters):0.000} | {Percent(above, marks.Count)} | {ms:0.00} |");
                details.Add(($"framing {name}, box = {boxName}", marks));
            }
        }

        foreach (var (title, marks) in details)
        {
            Console.WriteLine();
            Console.WriteLine($"Points in the 200×200 crop, {title} ({marks.Count} crops): median (p10–p90)");
            Console.WriteLine();
            Console.WriteLine("| point | x | y |");
            Console.WriteLine("|---|---|---|");
            for (var p = 0; p < PointNames.Length; p++)
            {
                Console.WriteLine($"| {PointNames[p]} | {Spread(marks.Select(m => (double)m.Points[p].X).ToList(), "0.0")} | {Spread(marks.Select(m => (double)m.Points[p].Y).ToList(), "0.0")} |");
            }
        }

        if (londonFolder is not null && Directory.Exists(londonFolder))
        {
            Console.WriteLine();
            London(londonFolder, modelPath, geometries, cancellationToken);
        }
    }

    // Each portrait's largest Haar face: points inside the box, eyes above the mouth, left eye left, roll near 0.
    private static void London(string folder, string? modelPath, List<CropGeometry> geometries, CancellationToken cancellationToken)
    {
        using var haar = new HaarFaceDetector();
        var decoder = new ImageDecoder();
        var portraits = new List<(Mat Image, FaceBox Box)>();
        var files = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var image = decoder.Decode(File.ReadAllBytes(file));
            if (haar.Detect(image) is [var face, ..])
            {
                portraits.Add((image, face.Box));
            }
            else
            {
                image.Dispose();
            }
        }

        try
        {
            Console.WriteLine($"London portraits: {portraits.Count} of {files.Count} with a Haar face (largest taken), box side median {Statistics.Median(portraits.Select(p => (double)p.Box.Width).ToList()):0} px");
            Console.WriteLine();
            Console.WriteLine("| framing (scale / shift) | 5 points inside box | 68 points inside box | eyes above mouth, left eye left | roll ° median (p10–p90) | abs roll ≤ 5° | ms per face |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var geometry in geometries)
            {
                using var landmarker = new FaceLandmark68Landmarker(new FaceLandmark68LandmarkerOptions { ModelPath = modelPath, Framing = geometry });
                var rolls = new List<double>();
                var (inside5, inside68, ordered) = (0, 0, 0);
                var start = ThreadCpuClock.NowMs();
                foreach (var (image, box) in portraits)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var points = landmarker.Locate68(image, box);
                    var marks = FaceLandmark68Landmarker.ToFivePoints(points);
                    rolls.Add(marks.RollDegrees);
                    inside5 += marks.Points.All(p => Inside(p, box)) ? 1 : 0;
                    inside68 += points.All(p => Inside(p, box)) ? 1 : 0;
                    ordered += Math.Max(marks.LeftEye.Y, marks.RightEye.Y) < Math.Min(marks.MouthLeft.Y, marks.MouthRight.Y) && marks.LeftEye.X < marks.RightEye.X ? 1 : 0;
                }

                var ms = (ThreadCpuClock.NowMs() - start) / Math.Max(1, portraits.Count);
                var n = portraits.Count;
                Console.WriteLine(FormattableString.Invariant($"| {geometry.Scale:0.00} / {geometry.ShiftY:0.00} | {Percent(inside5, n)} | {Percent(inside68, n)} | {Percent(ordered, n)} | {Spread(rolls, "0.0")} | {Percent(rolls.Count(r => Math.Abs(r) <= 5), n)} | {ms:0.00} |"));
            }
        }
        finally
        {
            foreach (var (image, _) in portraits)
            {
                image.Dispose();
            }
        }
    }

    // Mean movement of the five points over the inter-ocular distance when the box moves or changes size by 5%.
    private static double Jitter(FaceLandmark68Landmarker landmarker, Mat image, FaceBox box)
    {
        var reference = landmarker.Locate(image, box);
        var d = Math.Max(1, (int)Math.Round(box.Width * 0.05));
        FaceBox[] moved =
        [
            box with { X = box.X + d }, box with { X = box.X - d }, box with { Y = box.Y + d }, box with { Y = box.Y - d },
            new(box.X - d, box.Y - d, box.Width + (2 * d), box.Height + (2 * d)),
            new(box.X + d, box.Y + d, box.Width - (2 * d), box.Height - (2 * d)),
        ];
        var total = 0.0;
        foreach (var other in moved)
        {
            var marks = landmarker.Locate(image, other);
            total += reference.Points.Zip(marks.Points, (a, b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)))).Average();
        }

        return total / moved.Length / Math.Max(1e-6, InterOcular(reference));
    }

    private static double InterOcular(FaceLandmarks m) => Math.Sqrt(Math.Pow(m.RightEye.X - m.LeftEye.X, 2) + Math.Pow(m.RightEye.Y - m.LeftEye.Y, 2));

    private static bool Inside(FacePoint p, FaceBox box) => p.X >= box.X && p.X <= box.X + box.Width && p.Y >= box.Y && p.Y <= box.Y + box.Height;

    private static string Percent(int part, int whole) => $"{100.0 * part / Math.Max(1, whole):0.0}%";

    private static string Spread(List<double> values, string format) =>
        string.Format(CultureInfo.InvariantCulture, $"{{0:{format}}} ({{1:{format}}}–{{2:{format}}})", Statistics.Median(values), Statistics.Quantile(values, 0.1), Statistics.Quantile(values, 0.9));
}
