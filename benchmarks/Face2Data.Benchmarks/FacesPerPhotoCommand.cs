using System.CommandLine;
using System.Globalization;
using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Benchmarks;

/// <summary>
/// <c>faces-per-photo</c>: how many faces each detector setting finds per photo of a folder whose photos show exactly
/// one face each (default <c>../shared/datasets/london-faces/images</c>, 204 frontal portraits): the share with
/// exactly one, none and more than one, and the median detection time (the detecting thread's CPU time, OpenCV and ONNX
/// Runtime on one thread) per photo and per photo resized to 1280×720, the size of a typical upload.
/// </summary>
internal static class FacesPerPhotoCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "A folder of JPEG photos with one face each", DefaultValueFactory = _ => DefaultFolder() };
        var settings = new Option<string[]>("--setting") { Description = "Detector setting as detect takes it, such as ssd=bundled,score=0.4 (repeatable)", Required = true };
        var command = new Command("faces-per-photo", "Faces found per photo on photos of exactly one face each.") { images, settings };
        command.SetAction(parse =>
        {
            var files = Directory.EnumerateFiles(parse.GetValue(images)!, "*.jpg").Order(StringComparer.Ordinal).ToList();
            Cv2.SetNumThreads(1);
            Console.WriteLine($"{files.Count} photos of {parse.GetValue(images)}, one face each");
            Console.WriteLine();
            Console.WriteLine("| setting | exactly one | none | more than one | CPU ms per photo (median) | CPU ms per 1280×720 photo (median) |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var setting in parse.GetValue(settings)!.Select(DetectorSetting.Parse))
            {
                using var detector = setting.Create();
                var counts = new List<int>();
                var times = new List<double>();
                var wideTimes = new List<double>();
                foreach (var file in files)
                {
                    using var photo = Cv2.ImRead(file);
                    using var wide = photo.Resize(new Size(1280, 720));
                    var start = ThreadCpuClock.NowMs();
                    counts.Add(detector.Detect(photo).Count);
                    var middle = ThreadCpuClock.NowMs();
                    _ = detector.Detect(wide);
                    times.Add(middle - start);
                    wideTimes.Add(ThreadCpuClock.NowMs() - middle);
                }

                string Share(Func<int, bool> which) => string.Create(CultureInfo.InvariantCulture, $"{counts.Count(which)} ({counts.Count(which) / (double)counts.Count:P1})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {setting.Label} | {Share(c => c == 1)} | {Share(c => c == 0)} | {Share(c => c > 1)} | {Statistics.Median(times):F1} | {Statistics.Median(wideTimes):F1} |"));
            }

            return 0;
        });
        return command;
    }

    private static string DefaultFolder() =>
        Path.Combine(Path.GetDirectoryName(BenchmarkPaths.DefaultDataset())!, "london-faces", "images");
}
