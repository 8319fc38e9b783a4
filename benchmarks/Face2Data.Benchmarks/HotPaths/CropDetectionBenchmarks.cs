using BenchmarkDotNet.Attributes;
using Face2Data.Detection;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>Haar detection on a 200×200 face crop: one full scan (as before) against the small first scan (<see cref="HaarFaceDetectorOptions.CropScanSide"/>).</summary>
[MemoryDiagnoser]
public class CropDetectionBenchmarks
{
    private HaarFaceDetector _fullScan = null!;
    private HaarFaceDetector _smallFirst = null!;
    private Mat _face = null!;

    [GlobalSetup]
    public void Setup()
    {
        _face = new ImageDecoder().Decode(HotPathImages.Load().FaceJpeg);
        _fullScan = new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = null });
        _smallFirst = new HaarFaceDetector();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fullScan.Dispose();
        _smallFirst.Dispose();
        _face.Dispose();
    }

    [Benchmark(Baseline = true, Description = "haar: face 200x200, full scan")]
    public int FullScan() => _fullScan.Detect(_face).Count;

    [Benchmark(Description = "haar: face 200x200, small first scan (56)")]
    public int SmallFirstScan() => _smallFirst.Detect(_face).Count;
}
