using System.CommandLine;
using System.Globalization;
using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>crop-geometry</c>: measures how the Haar detector's box (or another detector's, <c>--setting</c>) relates to
/// UTKFace's crop framing. Each sampled
/// 200×200 crop is pasted at a random place in a larger canvas (replicated edges, its mean colour, or noise), the
/// detector runs on the canvas, and the box whose centre lies in the crop gives scale = crop side / box side and
/// shift = (crop centre − box centre) / crop side. The medians are the geometry; the spread says how well one
/// geometry fits. Then the raw crops are detected as they are (the detector pads them itself) for a range of
/// pad fractions, scoring the crop the fitted geometry makes against the whole image.
/// </summary>
internal static class CropGeometryCommand
{
    private enum Fill
    {
        Replicate,
        Mean,
        Noise,
    }

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var count = new Option<int>("--count") { Description = "Crops sampled", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var canvas = new Option<int>("--canvas") { Description = "Canvas side in pixels", DefaultValueFactory = _ => 400 };
        var cascade = new Option<string?>("--cascade") { Description = "default, alt, alt2 or a cascade path" };
        var scaleFactor = new Option<double>("--scale-factor") { DefaultValueFactory = _ => HaarFaceDetectorOptions.Default.ScaleFactor };
        var minNeighbors = new Option<int>("--min-neighbors") { DefaultValueFactory = _ => HaarFaceDetectorOptions.Default.MinNeighbors };
        var setting = new Option<string?>("--setting") { Description = "Another detector, as in detect (such as tiny=PATH,framing=none); replaces the Haar options" };
        var command = new Command("crop-geometry", "Fit the crop geometry (detector box → UTKFace framing) by measurement.")
        {
            data, count, seed, canvas, cascade, scaleFactor, minNeighbors, setting,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new HaarFaceDetectorOptions
            {
                CascadePath = BenchmarkPaths.Cascade(parse.GetValue(cascade)),
                ScaleFactor = parse.GetValue(scaleFactor),
                MinNeighbors = parse.GetValue(minNeighbors),
                DetectionMaxSide = null,
                CropScanSide = null,
            };
            if (parse.GetValue(setting) is { } other)
            {
                RunSetting(parse.GetValue(data)!, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(canvas), other, cancellationToken);
            }
            else
            {
                Run(parse.GetValue(data)!, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(canvas), options, cancellationToken);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static void Run(string data, int count, int seed, int canvasSide, HaarFaceDetectorOptions options, CancellationToken cancellationToken)
    {
        Cv2.SetNumThreads(1);
        using var sample = UtkFaceSample.Read(data, count, seed, cancellationToken);
        Console.WriteLine($"{sample.Images.Count} UTKFace crops (seed {seed}), cascade {Path.GetFileName(options.CascadePath ?? HaarFaceDetector.DefaultCascadeFileName)}, scale factor {options.ScaleFactor}, min neighbours {options.MinNeighbors}, {canvasSide}×{canvasSide} canvas");
        Console.WriteLine();
        using var detector = new HaarFaceDetector(options with { PadFraction = 0 });
        var geometry = Fit(detector, sample, canvasSide, seed, cancellationToken);
        Console.WriteLine();
        Console.WriteLine("Tight crops as they are, padded by the detector; IoU of the geometry's crop with the whole image:");
        Console.WriteLine();
        Console.WriteLine($"| pad fraction | detected | IoU median | IoU ≥ 0.7 | IoU ≥ 0.8 | {(ThreadCpuClock.IsCpuTime ? "CPU" : "wall")} ms per image |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var pad in new[] { 0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5 })
        {
            using var padded = new HaarFaceDetector(options with { PadFraction = pad });
            Console.WriteLine($"| {pad:0.00} | {FramingRow(padded, sample, geometry, "0.0", cancellationToken)}");
        }

        Console.WriteLine();
        Console.WriteLine($"The same crops (pad {HaarFaceDetectorOptions.Default.PadFraction}) scanned first at a reduced size (CropScanSide: the framed crop's longer side), at full size when that finds nothing; IoU as above:");
        Console.WriteLine();
        Console.WriteLine($"| crop scan side | detected | IoU median | IoU ≥ 0.7 | IoU ≥ 0.8 | {(ThreadCpuClock.IsCpuTime ? "CPU" : "wall")} ms per image |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var side in new int?[] { null, 160, 128, 96, 80, 64, 56, 48 })
        {
            using var scanned = new HaarFaceDetector(options with { PadFraction = HaarFaceDetectorOptions.Default.PadFraction, CropScanSide = side });
            Console.WriteLine($"| {side?.ToString(CultureInfo.InvariantCulture) ?? "none"} | {FramingRow(scanned, sample, geometry, "0.00", cancellationToken)}");
        }
    }

    // Another detector: the fit on canvases (the setting with pad 0), then the tight crops with the setting as given.
    private static void RunSetting(string data, int count, int seed, int canvasSide, string setting, CancellationToken cancellationToken)
    {
        Cv2.SetNumThreads(1);
        using var sample = UtkFaceSample.Read(data, count, seed, cancellationToken);
        Console.WriteLine($"{sample.Images.Count} UTKFace crops (seed {seed}), detector {setting}, {canvasSide}×{canvasSide} canvas");
        Console.WriteLine();
        CropGeometry geometry;
        using (var onCanvas = DetectorSetting.Parse($"{setting},pad=0").Create())
        {
            geometry = Fit(onCanvas, sample, canvasSide, seed, cancellationToken);
        }

        Console.WriteLine();
        Console.WriteLine("Tight crops as they are, padded by the detector; IoU of the geometry's crop with the whole image:");
        Console.WriteLine();
        Console.WriteLine($"| setting | detected | IoU median | IoU ≥ 0.7 | IoU ≥ 0.8 | {(ThreadCpuClock.IsCpuTime ? "CPU" : "wall")} ms per image |");
        Console.WriteLine("|---|---|---|---|---|---|");
        using var detector = DetectorSetting.Parse(setting).Create();
        Console.WriteLine($"| {setting} | {FramingRow(detector, sample, geometry, "0.00", cancellationToken)}");
    }

    // Each crop pasted on a canvas three ways; the medians of crop side / box side and of the centre offsets.
    private static CropGeometry Fit(IFaceDetector detector, UtkFaceSample sample, int canvasSide, int seed, CancellationToken cancellationToken)
    {
        Console.WriteLine("| canvas fill | detected | scale median (p10–p90) | shift y median (p10–p90) | shift x median (p10–p90) | box side median px |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var all = new List<(double Scale, double ShiftY, double ShiftX)>();
        foreach (var fill in Enum.GetValues<Fill>())
        {
            var random = new Random(seed + (int)fill + 1);
            var fits = new List<(double Scale, double ShiftY, double ShiftX)>();
            var sides = new List<double>();
            foreach (var (_, crop) in sample.Images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var place = new Rect(random.Next(canvasSide - crop.Width + 1), random.Next(canvasSide - crop.Height + 1), crop.Width, crop.Height);
                using var canvas = Canvas(crop, place, canvasSide, fill, random);
                var box = detector.Detect(canvas).Select(f => f.Box).FirstOrDefault(b => Contains(place, b));
                if (box.Width == 0)
                {
                    continue;
                }

                var side = (double)crop.Width;
                fits.Add((side / Math.Max(box.Width, box.Height),
                    (place.Y + (side / 2) - (box.Y + (box.Height / 2.0))) / side,
                    (place.X + (side / 2) - (box.X + (box.Width / 2.0))) / side));
                sides.Add(box.Width);
            }

            all.AddRange(fits);
            Console.WriteLine($"| {fill.ToString().ToLowerInvariant()} | {Percent(fits.Count, sample.Images.Count)} | {Spread(fits.Select(f => f.Scale).ToList())} | {Spread(fits.Select(f => f.ShiftY).ToList())} | {Spread(fits.Select(f => f.ShiftX).ToList())} | {Statistics.Median(sides):0} |");
        }

        var geometry = new CropGeometry
        {
            Scale = Math.Round(Statistics.Median(all.Select(f => f.Scale).ToList()), 3),
            ShiftY = Math.Round(Statistics.Median(all.Select(f => f.ShiftY).ToList()), 3),
        };
        Console.WriteLine();
        Console.WriteLine($"All fills ({all.Count} boxes): scale {geometry.Scale.ToString(CultureInfo.InvariantCulture)}, shift y {geometry.ShiftY.ToString(CultureInfo.InvariantCulture)}");
        return geometry;
    }

    // One table row after the setting's cell: how often the detector finds each tight crop, how well the geometry's
    // crop of its box covers the whole image (IoU), and the time per image.
    private static string FramingRow(IFaceDetector detector, UtkFaceSample sample, CropGeometry geometry, string timeFormat, CancellationToken cancellationToken)
    {
        var ious = new List<double>();
        var start = ThreadCpuClock.NowMs();
        foreach (var (_, crop) in sample.Images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var faces = detector.Detect(crop);
            if (faces.Count > 0)
            {
                var region = FaceCrop.Region(faces[0].Box, geometry);
                ious.Add(new FaceBox(region.X, region.Y, region.Width, region.Height).IntersectionOverUnion(new FaceBox(0, 0, crop.Width, crop.Height)));
            }
        }

        var ms = (ThreadCpuClock.NowMs() - start) / sample.Images.Count;
        var count = sample.Images.Count;
        return $"{Percent(ious.Count, count)} | {Statistics.Median(ious):0.000} | {Percent(ious.Count(i => i >= 0.7), count)} | {Percent(ious.Count(i => i >= 0.8), count)} | {ms.ToString(timeFormat, CultureInfo.InvariantCulture)} |";
    }

    private static Mat Canvas(Mat crop, Rect place, int side, Fill fill, Random random)
    {
        var canvas = new Mat();
        switch (fill)
        {
            case Fill.Replicate:
                Cv2.CopyMakeBorder(crop, canvas, place.Y, side - place.Bottom, place.X, side - place.Right, BorderTypes.Replicate);
                return canvas;
            case Fill.Mean:
                Cv2.CopyMakeBorder(crop, canvas, place.Y, side - place.Bottom, place.X, side - place.Right, BorderTypes.Constant, Cv2.Mean(crop));
                return canvas;
            default:
                canvas.Dispose();
                canvas = SceneBackgrounds.Paint(SceneBackground.Noise, side, side, random);
                using (var target = new Mat(canvas, place))
                {
                    crop.CopyTo(target);
                }

                return canvas;
        }
    }

    private static bool Contains(Rect place, FaceBox box)
    {
        var x = box.X + (box.Width / 2.0);
        var y = box.Y + (box.Height / 2.0);
        return x >= place.Left && x < place.Right && y >= place.Top && y < place.Bottom;
    }

    private static string Percent(int part, int whole) => $"{100.0 * part / Math.Max(1, whole):0.0}%";

    private static string Spread(List<double> values) =>
        FormattableString.Invariant($"{Statistics.Median(values):0.000} ({Statistics.Quantile(values, 0.1):0.000}–{Statistics.Quantile(values, 0.9):0.000})");
}
