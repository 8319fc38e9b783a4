using OpenCvSharp;

namespace Face2Data.Core.Detection;

/// <summary>Finds faces in an image. Implementations must be safe to call from several threads at once.</summary>
public interface IFaceDetector
{
    /// <summary>Faces in an 8-bit BGR image, largest first.</summary>
    IReadOnlyList<DetectedFace> Detect(Mat bgr);
}
