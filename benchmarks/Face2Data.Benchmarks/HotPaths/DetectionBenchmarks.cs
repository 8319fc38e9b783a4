using BenchmarkDotNet.Attributes;
using Face2Data.Detection;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// Detection on the decoded 1280×720 photo (three faces of 180–260 px) with the settings of
/// <c>face2data-bench detect</c> (<see cref="DetectorSetting"/>): <c>padaspect=inf</c> is the Haar detector before the
/// border was limited to near-square images, <c>default</c> today's defaults, the Haar others trade small faces for
/// time (<c>max=640,sf=1.2,mn=1</c> is the speed profile), and <c>tiny=bundled</c> is the Tiny Face Detector CNN.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private IFaceDetector _detector = null!;
    private Mat _photo = null!;

    [Params("padaspect=inf", "default", "max=800", "max=640", "max=480", "max=640,sf=1.2", "max=640,sf=1.2,mn=1", "tiny=bundled")]
    public string Setting { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        _photo = new ImageDecoder().Decode(HotPathImages.Load().PhotoJpeg);
        _detector = DetectorSetting.Parse(Setting).Create();
        var found = _detector.Detect(_photo).Count;
        if (found != HotPathImages.PhotoFaces.Count)
        {
            Console.Error.WriteLine($"warning: {Setting} finds {found} faces in the photo, {HotPathImages.PhotoFaces.Count} pasted");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _detector.Dispose();
        _photo.Dispose();
    }

    [Benchmark(Description = "detect: photo 1280x720, 3 faces")]
    public int Photo() => _detector.Detect(_photo).Count;
}
