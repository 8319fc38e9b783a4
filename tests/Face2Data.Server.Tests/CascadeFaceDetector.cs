using Face2Data.Core.Detection;
using OpenCvSharp;

namespace Face2Data.Server.Tests;

/// <summary>
/// OpenCV's frontal-face Haar cascade (Debian's opencv-data), so the browser test shows a real detection box. Test
/// code only: the product's detector is Core's, wired into the server by name.
/// </summary>
internal sealed class CascadeFaceDetector : IFaceDetector, IDisposable
{
    public const string Name = "cascade";
    public const string CascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    private readonly CascadeClassifier _cascade = new(CascadePath);
    private readonly Lock _lock = new();

    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        Rect[] found;
        lock (_lock)
        {
            found = _cascade.DetectMultiScale(gray, 1.1, 5, HaarDetectionTypes.ScaleImage, new Size(40, 40));
        }

        return found.Select(r => new DetectedFace(new FaceBox(r.X, r.Y, r.Width, r.Height), 1f)).OrderByDescending(f => f.Box.Area).ToList();
    }

    public void Dispose() => _cascade.Dispose();
}
