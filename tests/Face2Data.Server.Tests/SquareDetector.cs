using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Server.Tests;

/// <summary>
/// A real, exact detector for synthetic test images: every pure red (BGR 0,0,255) rectangle is a "face", scored by
/// how much of its box is red. Lets the tests check detection handling (boxes, order, max_faces, modes) with known answers.
/// </summary>
internal sealed class SquareDetector : IFaceDetector
{
    public const string Name = "squares";

    public void Dispose()
    {
    }

    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        using var mask = new Mat();
        Cv2.InRange(bgr, new Scalar(0, 0, 250), new Scalar(5, 5, 255), mask);
        Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        return contours
            .Select(c => Cv2.BoundingRect(c))
            .Where(r => r.Width >= 4 && r.Height >= 4)
            .Select(r => new DetectedFace(new FaceBox(r.X, r.Y, r.Width, r.Height), 0.99f))
            .OrderByDescending(f => f.Box.Area)
            .ToList();
    }
}
