using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Tests.Explanation;

/// <summary>The bundled model (models/face2data.onnx, copied beside the tests) in one analyzer, and a drawn face.</summary>
public sealed class BundledModelFixture : IDisposable
{
    public BundledModelFixture()
    {
        Analyzer = FaceAnalyzer.LoadDefault(new FaceAnalyzerOptions { IntraOpThreads = 1 });
    }

    public FaceAnalyzer Analyzer { get; }

    /// <summary>A cartoon face (skin-coloured ellipse, eyes, mouth) on a grey background. The caller disposes it.</summary>
    public static Mat Face(int width = 120, int height = 120)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        Cv2.Ellipse(image, new Point(width / 2, height / 2), new Size(width * 0.32, height * 0.42), 0, 0, 360, new Scalar(140, 170, 220), -1);
        Cv2.Circle(image, new Point(width * 0.38, height * 0.42), Math.Max(2, width / 24), new Scalar(60, 40, 30), -1);
        Cv2.Circle(image, new Point(width * 0.62, height * 0.42), Math.Max(2, width / 24), new Scalar(60, 40, 30), -1);
        Cv2.Ellipse(image, new Point(width / 2, (int)(height * 0.64)), new Size(width * 0.12, height * 0.05), 0, 0, 180, new Scalar(70, 60, 160), Math.Max(1, width / 60));
        return image;
    }

    public void Dispose() => Analyzer.Dispose();
}
