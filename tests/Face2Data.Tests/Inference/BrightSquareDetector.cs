using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Inference;

/// <summary>
/// An exact detector for drawn test images: every bright grey rectangle (all channels at least 200) on a dark
/// background is a face. Records the size of each image it scanned; reports the scanning size it is given.
/// </summary>
internal sealed class BrightSquareDetector : IFaceDetector
{
    public List<(int Width, int Height)> Scanned { get; } = [];

    public int? ScanSide { get; init; }

    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        Scanned.Add((bgr.Width, bgr.Height));
        using var mask = new Mat();
        Cv2.InRange(bgr, Scalar.All(200), Scalar.All(255), mask);
        Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        return contours
            .Select(c => Cv2.BoundingRect(c))
            .Where(r => r.Width >= 4 && r.Height >= 4)
            .Select(r => new DetectedFace(new FaceBox(r.X, r.Y, r.Width, r.Height), 1f))
            .OrderByDescending(f => f.Box.Area)
            .ToList();
    }

    public void Dispose()
    {
    }
}
