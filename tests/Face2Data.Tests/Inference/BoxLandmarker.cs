using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Inference;

/// <summary>
/// A landmarker for drawn test images: puts the five points at fixed fractions of the box (eyes at 30 % and 70 % of
/// its width and 40 % of its height, nose at the centre, mouth corners at 35 % / 65 % and 75 %), and records the image
/// sizes it was called on.
/// </summary>
internal sealed class BoxLandmarker : IFaceLandmarker
{
    public List<(int Width, int Height)> Calls { get; } = [];

    public FaceLandmarks Locate(Mat bgr, FaceBox box)
    {
        lock (Calls)
        {
            Calls.Add((bgr.Width, bgr.Height));
        }

        return At(box);
    }

    public static FaceLandmarks At(FaceBox box)
    {
        FacePoint P(double x, double y) => new((float)(box.X + (x * box.Width)), (float)(box.Y + (y * box.Height)));
        return new FaceLandmarks(P(0.3, 0.4), P(0.7, 0.4), P(0.5, 0.55), P(0.35, 0.75), P(0.65, 0.75));
    }

    public void Dispose()
    {
    }
}
