using BenchmarkDotNet.Attributes;
using Face2Data.Detection;
using Face2Data.Inference;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// Whole analyses through <see cref="FaceAnalyzer"/> with the bundled model and the Haar detector: a 200×200 face
/// JPEG and the 1280×720 photo with three faces (decode, detection, crops, one model run). <c>before</c> is the
/// detector as it was (one full scan of crops, a border on every image) and full-size decoding; <c>after</c> the
/// server's defaults (small first scan of crops, border only for near-square images, reduced decoding for detection).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private HaarFaceDetector _detector = null!;
    private FaceAnalyzer _analyzer = null!;
    private HotPathImages _images = null!;

    [Params("before", "after")]
    public string Variant { get; set; } = "after";

    [GlobalSetup]
    public void Setup()
    {
        _images = HotPathImages.Load();
        var before = Variant == "before";
        _detector = before ? new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = null, PadMaxAspect = double.PositiveInfinity }) : new HaarFaceDetector();
        _analyzer = FaceAnalyzer.Load(BundledModel.RequirePath(), new FaceAnalyzerOptions { ReducedDecodeSide = before ? null : 960 }, _detector);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _analyzer.Dispose();
        _detector.Dispose();
    }

    [Benchmark(Description = "analyze: face 200px")]
    public int Face() => _analyzer.Analyze(_images.FaceJpeg).Faces.Count;

    [Benchmark(Description = "analyze: photo 1280x720, 3 faces")]
    public int Photo() => _analyzer.Analyze(_images.PhotoJpeg).Faces.Count;
}
