using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// Finds faces in an image. Implementations must be safe to call from several threads at once, and free their
/// native resources (cascades, networks) on <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>Faces in an 8-bit BGR image, largest first, in the image's pixels.</summary>
    IReadOnlyList<DetectedFace> Detect(Mat bgr);

    /// <summary>
    /// The longest side this detector scans: it scales larger images down to it first, so a large JPEG may be decoded
    /// reduced to about this size at no loss to detection (<see cref="Inference.FaceAnalyzerOptions.ReducedDecodeSide"/>).
    /// Null (the default) when it scans images at full size.
    /// </summary>
    int? ScanSide => null;
}
