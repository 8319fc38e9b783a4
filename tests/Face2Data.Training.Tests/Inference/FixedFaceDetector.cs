using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Inference;

/// <summary>A test double that "finds" the given boxes in any image and counts its calls.</summary>
internal sealed class FixedFaceDetector(params FaceBox[] boxes) : IFaceDetector
{
    public int Calls { get; private set; }

    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        Calls++;
        return boxes.Select((b, i) => new DetectedFace(b, 10 + i)).ToList();
    }

    public void Dispose()
    {
    }
}
