using System.CommandLine;
using System.Diagnostics;
using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>detect</c>: recall, precision and speed of detector settings on synthetic scenes (<see cref="SyntheticScene"/>).
/// A detection counts when the crop that <see cref="CropGeometry.UtkFaceHaar"/> makes from its box overlaps a
/// pasted face crop by IoU ≥ 0.5 (greedy matching, largest boxes first), so the score covers both finding the face
/// and framing it as the model was trained. Every setting sees every scene in turn, so a machine's load affects
/// all settings alike; time is the detecting thread's CPU time, with OpenCV limited to that one thread.
/// </summary>
internal static class DetectionBenchmarkCommand
{
    private const double MatchIoU = 0.5;
    private const int SmallFaceSide = 96;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var scenes = new Option<int>("--scenes") { Description = "Synthetic scenes", DefaultValueFactory = _ => 100 };
        var crops = new Option<int>("--crops") { Description = "UTKFace crops to draw faces from", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var minFace = new Option<int>("--min-face") { Description = "Smallest pasted crop side, pixels", DefaultValueFactory = _ => 48 };
        var settings = new Option<string[]>("--setting")
        {
            Description = "Detector setting such as sf=1.1,mn=5,max=960,pad=0.2,cascade=alt2 or yunet=PATH (repeatable; default: a grid around the defaults)",
            AllowMultipleArgumentsPerToken = true,
        };
        var dump = new Option<string?>("--dump") { Description = "Write each scene with the pasted crops (blue) and the first setting's crops (green) as PNGs to this folder, to look at; never commit them" };
        var command = new Command("detect", "Recall, precision (IoU 0.5) and ms per megapixel of face detector settings on synthetic scenes.")
        {
            data, scenes, crops, seed, minFace, settings, dump,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(settings) is { Length: > 0 } given ? given : [.. DetectorSetting.DefaultGrid];
            Run(parse.GetValue(data)!, parse.GetValue(scenes), parse.GetValue(crops), parse.GetValue(seed), parse.GetValue(minFace), chosen, parse.GetValue(dump), cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Run(string data, int sceneCount, int cropCount, int seed, int minFace, IReadOnlyList<string> settingTexts, string? dump, CancellationToken cancellationToken)
    {
        Cv2.SetNumThreads(1);
        using var sample = UtkFaceSample.Read(data, cropCount, seed, cancellationToken);
        var crops = sample.Images.Select(i => i.Image).ToList();
        var settings = settingTexts.Select(DetectorSetting.Parse).ToList();
        var detectors = settings.Select(s => s.Create()).ToList();
        try
        {
            var tallies = settings.Select(_ => new Tally()).ToList();
            var planted = 0;
            var plantedSmall = 0;
            var megapixels = 0.0;
            var backgrounds = new Dictionary<SceneBackground, int>();
            var wall = Stopwatch.StartNew();
            for (var s = 0; s < sceneCount; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (s % 10 == 0)
                {
                    Console.Error.WriteLine($"scene {s} of {sceneCount}, {wall.Elapsed.TotalSeconds:0} s");
                }

                using var scene = SyntheticScene.Generate(seed, s, crops, minFace);
                planted += scene.Faces.Count;
                plantedSmall += scene.Faces.Count(f => f.Width < SmallFaceSide);
                megapixels += scene.Megapixels;
                backgrounds[scene.Background] = backgrounds.GetValueOrDefault(scene.Background) + 1;
                for (var d = 0; d < detectors.Count; d++)
                {
                    var start = ThreadCpuClock.NowMs();
                    var found = detectors[d].Detect(scene.Image);
                    tallies[d].Add(scene.Faces, found, ThreadCpuClock.NowMs() - start);
                    if (dump is not null && d == 0)
                    {
                        Dump(dump, s, scene, found);
                    }
                }
            }

            Console.WriteLine($"{sceneCount} scenes (seed {seed}, {megapixels:0.0} megapixels, backgrounds {string.Join(", ", backgrounds.OrderBy(b => b.Key).Select(b => $"{b.Key.ToString().ToLowerInvariant()} {b.Value}"))}), {planted} faces ({plantedSmall} with crop side < {SmallFaceSide} px), from {crops.Count} UTKFace crops; {wall.Elapsed.TotalSeconds:0} s");
            Console.WriteLine($"Match: crop from the box with scale {CropGeometry.UtkFaceHaar.Scale}, shift {CropGeometry.UtkFaceHaar.ShiftY} vs pasted crop, IoU ≥ {MatchIoU}. Time: {(ThreadCpuClock.IsCpuTime ? "thread CPU" : "wall")} ms, OpenCV on 1 thread.");
            Console.WriteLine();
            Console.WriteLine($"| setting | recall | recall < {SmallFaceSide} px | recall ≥ {SmallFaceSide} px | precision | false / scene | ms per MP | ms per scene (p50) |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            for (var d = 0; d < settings.Count; d++)
            {
                var t = tallies[d];
                Console.WriteLine(FormattableString.Invariant(
                    $"| {settings[d].Label} | {Ratio(t.Matched, planted)} | {Ratio(t.MatchedSmall, plantedSmall)} | {Ratio(t.Matched - t.MatchedSmall, planted - plantedSmall)} | {Ratio(t.Matched, t.Detections)} | {(t.Detections - t.Matched) / (double)sceneCount:0.00} | {t.Milliseconds.Sum() / megapixels:0} | {Statistics.Median(t.Milliseconds):0} |"));
            }
        }
        finally
        {
            foreach (var detector in detectors)
            {
                detector.Dispose();
            }
        }
    }

    private static void Dump(string folder, int index, SyntheticScene scene, IReadOnlyList<DetectedFace> found)
    {
        Directory.CreateDirectory(folder);
        using var image = scene.Image.Clone();
        foreach (var face in scene.Faces)
        {
            Cv2.Rectangle(image, face, new Scalar(255, 0, 0), 2);
        }

        foreach (var face in found)
        {
            Cv2.Rectangle(image, FaceCrop.Region(face.Box, CropGeometry.UtkFaceHaar), new Scalar(0, 255, 0), 2);
            Cv2.Rectangle(image, new Rect(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height), new Scalar(0, 160, 0), 1);
        }

        Cv2.ImWrite(Path.Combine(folder, $"scene-{index:000}.png"), image);
    }

    private static string Ratio(int part, int whole) => whole == 0 ? "–" : FormattableString.Invariant($"{(double)part / whole:0.000}");

    private sealed class Tally
    {
        public int Matched { get; private set; }

        public int MatchedSmall { get; private set; }

        public int Detections { get; private set; }

        public List<double> Milliseconds { get; } = [];

        public void Add(IReadOnlyList<Rect> truth, IReadOnlyList<DetectedFace> found, double milliseconds)
        {
            Milliseconds.Add(milliseconds);
            Detections += found.Count;
            var free = truth.ToList();
            foreach (var face in found.OrderByDescending(f => f.Box.Area))
            {
                var region = FaceCrop.Region(face.Box, CropGeometry.UtkFaceHaar);
                var crop = new FaceBox(region.X, region.Y, region.Width, region.Height);
                var best = free
                    .Select(r => (Rect: r, IoU: crop.IntersectionOverUnion(new FaceBox(r.X, r.Y, r.Width, r.Height))))
                    .Where(m => m.IoU >= MatchIoU)
                    .OrderByDescending(m => m.IoU)
                    .FirstOrDefault();
                if (best.IoU > 0)
                {
                    free.Remove(best.Rect);
                    Matched++;
                    MatchedSmall += best.Rect.Width < SmallFaceSide ? 1 : 0;
                }
            }
        }
    }
}
