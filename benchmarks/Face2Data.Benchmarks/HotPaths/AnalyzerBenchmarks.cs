using BenchmarkDotNet.Attributes;
using Face2Data.Core.Detection;
using Face2Data.Core.Inference;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// Whole analyses through <see cref="FaceAnalyzer"/> with the bundled model and the Haar detector: a 200×200 face
/// JPEG and the 1280×720 photo with three faces (decode, detection, crops, one model run).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private HaarFaceDetector _detector = null!;
    private FaceAnalyzer _analyzer = null!;
    private HotPathImages _images = null!;

    [GlobalSetup]
    public void Setup()
    {
        _images = HotPathImages.Load();
        _detector = new HaarFaceDetector();
        _analyzer = FaceAnalyzer.Load(BundledModel.RequirePath(), new FaceAnalyzerOptions(), _detector);
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
