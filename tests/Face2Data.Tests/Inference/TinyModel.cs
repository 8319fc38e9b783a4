using Face2Data.Inference;

namespace Face2Data.Tests.Inference;

/// <summary>
/// The server tests' tiny random-weight f2d model (32 px input; see tests/Face2Data.Server.Tests/TestData/README.md),
/// loaded once per test class through <see cref="IClassFixture{TFixture}"/>.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "tiny-f2d.onnx");

    public OnnxFaceModel Model { get; } = OnnxFaceModel.Load(Path, new OnnxFaceModelOptions { IntraOpThreads = 1 });

    public int ImageLength => Model.Manifest.Preprocessing.TensorLength;

    /// <summary><paramref name="count"/> images of seeded random normalized values.</summary>
    public float[] RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        var images = new float[count * ImageLength];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)((random.NextDouble() * 4) - 2);
        }

        return images;
    }

    public void Dispose() => Model.Dispose();
}
