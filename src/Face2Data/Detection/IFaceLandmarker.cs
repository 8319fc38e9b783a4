using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Locates a face's landmarks inside a box a detector found. Implementations must be safe to call from several
/// threads at once and free their native resources on <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface IFaceLandmarker : IDisposable
{
    /// <summary>The landmarks of the face in <paramref name="box"/>, in the pixels of the 8-bit BGR image <paramref name="bgr"/>.</summary>
    FaceLandmarks Locate(Mat bgr, FaceBox box);
}
