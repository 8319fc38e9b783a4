using BenchmarkDotNet.Attributes;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>A decoded 200×200 face into the model's normalized 64 px CHW input: the two-step path and the one-pass one.</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private readonly ImagePreprocessing _preprocessing = new() { Size = 64 };
    private Mat _face = null!;
    private byte[] _pixels = null!;
    private float[] _tensor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _face = new ImageDecoder().Decode(HotPathImages.Load().FaceJpeg);
        _pixels = new byte[_preprocessing.PixelLength];
        _tensor = new float[_preprocessing.TensorLength];
    }

    [GlobalCleanup]
    public void Cleanup() => _face.Dispose();

    [Benchmark(Baseline = true, Description = "WriteRgbPixels + Normalize")]
    public void RgbPixelsThenNormalize()
    {
        _preprocessing.WriteRgbPixels(_face, _pixels);
        _preprocessing.Normalize(_pixels, _tensor);
    }

    [Benchmark(Description = "WriteTensor (one pass)")]
    public void WriteTensor() => _preprocessing.WriteTensor(_face, _pixels, _tensor);
}
