using BenchmarkDotNet.Attributes;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>Decoding: a 200×200 face crop decoded and resized to the model's 64 px; the 1280×720 photo at full and reduced scale.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly ImageDecoder _decoder = new();
    private readonly ImagePreprocessing _preprocessing = new() { Size = 64 };
    private HotPathImages _images = null!;
    private byte[] _pixels = null!;

    [GlobalSetup]
    public void Setup()
    {
        _images = HotPathImages.Load();
        _pixels = new byte[_preprocessing.PixelLength];
    }

    [Benchmark(Description = "face 200px: decode + resize to 64")]
    public void FaceDecodeAndResize()
    {
        using var bgr = _decoder.Decode(_images.FaceJpeg);
        _preprocessing.WriteRgbPixels(bgr, _pixels);
    }

    [Benchmark(Description = "photo 1280x720: decode, full size")]
    public int PhotoDecodeFull()
    {
        using var bgr = _decoder.Decode(_images.PhotoJpeg);
        return bgr.Width;
    }

    [Benchmark(Description = "photo 1280x720: decode at 1/2 (640x360)")]
    public int PhotoDecodeHalf()
    {
        using var reduced = _decoder.DecodeReduced(_images.PhotoJpeg, 640);
        return reduced.Image.Width;
    }

    [Benchmark(Description = "photo 1280x720: header checks only")]
    public int PhotoValidate() => _decoder.Validate(_images.PhotoJpeg).Width;
}
