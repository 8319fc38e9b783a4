using BenchmarkDotNet.Attributes;
using Face2Data.Core.Detection;
using Face2Data.Core.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>Haar detection on the decoded 1280×720 photo (three faces) and on a 200×200 face crop, with the default settings.</summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private HaarFaceDetector _detector = null!;
    private Mat _photo = null!;
    private Mat _face = null!;

    [GlobalSetup]
    public void Setup()
    {
        var images = HotPathImages.Load();
        var decoder = new ImageDecoder();
        _photo = decoder.Decode(images.PhotoJpeg);
        _face = decoder.Decode(images.FaceJpeg);
        _detector = new HaarFaceDetector();
        var found = _detector.Detect(_photo).Count;
        if (found != HotPathImages.PhotoFaces.Count)
        {
            Console.Error.WriteLine($"warning: {found} faces found in the photo, {HotPathImages.PhotoFaces.Count} pasted");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _detector.Dispose();
        _photo.Dispose();
        _face.Dispose();
    }

    [Benchmark(Description = "haar: photo 1280x720")]
    public int Photo() => _detector.Detect(_photo).Count;

    [Benchmark(Description = "haar: face crop 200x200")]
    public int FaceCrop() => _detector.Detect(_face).Count;
}
