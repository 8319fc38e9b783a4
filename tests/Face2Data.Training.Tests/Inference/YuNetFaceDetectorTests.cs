using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Inference;

/// <summary>
/// <see cref="YuNetFaceDetector"/> with a stand-in network (<see cref="FakeYuNet"/>): the real weights are not part
/// of the repository, but what the wrapper adds — scaling into the fixed input, the border, reading OpenCV's
/// result rows and mapping boxes back — is checked against a "face" at a known place.
/// </summary>
public sealed class YuNetFaceDetectorTests : IDisposable
{
    private const int InputSize = 320;
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"fake-yunet-{Guid.NewGuid():N}.onnx");

    public YuNetFaceDetectorTests() => FakeYuNet.Write(_modelPath, InputSize);

    public void Dispose() => File.Delete(_modelPath);

    [Theory]
    [InlineData(320, 240, 200, 60, 40)]
    [InlineData(1280, 960, 800, 300, 160)]
    [InlineData(240, 320, 80, 200, 40)]
    public void A_face_is_found_where_it_is_and_mapped_back_to_the_image(int width, int height, int x, int y, int side)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3, Scalar.All(0));
        image[new Rect(x, y, side, side)].SetTo(Scalar.All(255));
        using var detector = new YuNetFaceDetector(new YuNetFaceDetectorOptions { ModelPath = _modelPath, InputSize = InputSize, MinFaceSize = 1 });

        var face = Assert.Single(detector.Detect(image));

        // The image and its 0.2 border are scaled to fit 320 pixels; a box is 12 cells of 8 of those pixels,
        // centred on a cell that lies wholly in the white square (so within a cell and a half of its centre).
        var scale = InputSize / (Math.Max(width, height) + (2 * 0.2 * Math.Min(width, height)));
        var expectedSide = FakeYuNet.BoxCells * 8 / scale;
        Assert.InRange(face.Box.Width, expectedSide - 2, expectedSide + 2);
        Assert.InRange(face.Box.Height, expectedSide - 2, expectedSide + 2);
        var tolerance = 12 / scale;
        Assert.InRange(face.Box.X + (face.Box.Width / 2.0), x + (side / 2.0) - tolerance, x + (side / 2.0) + tolerance);
        Assert.InRange(face.Box.Y + (face.Box.Height / 2.0), y + (side / 2.0) - tolerance, y + (side / 2.0) + tolerance);
        Assert.True(face.Score >= 0.9f);
    }

    [Fact]
    public void Nothing_bright_enough_is_no_face_and_min_face_size_drops_smaller_boxes()
    {
        using var grey = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(100));
        using var image = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(0));
        image[new Rect(100, 100, 40, 40)].SetTo(Scalar.All(255));
        using var detector = new YuNetFaceDetector(new YuNetFaceDetectorOptions { ModelPath = _modelPath, InputSize = InputSize, MinFaceSize = 1 });
        using var large = new YuNetFaceDetector(new YuNetFaceDetectorOptions { ModelPath = _modelPath, InputSize = InputSize, MinFaceSize = 130 });

        Assert.Empty(detector.Detect(grey));
        // The box found is 125 pixels (12 cells of 8 at scale 320/416).
        Assert.Equal(125, Assert.Single(detector.Detect(image)).Box.Width);
        Assert.Empty(large.Detect(image));
    }
}
