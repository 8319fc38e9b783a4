using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Inference;

/// <summary>
/// One face as the model sees it (see <see cref="FaceAnalyzer.FindFaces"/>): where it is, the crop cut for it and
/// the model's input pixels made from that crop. Dispose it to free the crop.
/// </summary>
public sealed class FaceInput : IDisposable
{
    /// <summary>Wraps a face; the input takes ownership of <paramref name="crop"/>.</summary>
    /// <param name="box">The face's box in the (upright) image.</param>
    /// <param name="detectionScore">The detector's confidence, or null when the whole image is the face.</param>
    /// <param name="crop">The BGR region cut for the face at the image's resolution.</param>
    /// <param name="pixels">The crop resized to the model's input, HWC RGB bytes.</param>
    /// <param name="landmarks">The face's landmarks in the image, when located.</param>
    public FaceInput(FaceBox box, float? detectionScore, Mat crop, byte[] pixels, FaceLandmarks? landmarks = null)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(pixels);
        Box = box;
        DetectionScore = detectionScore;
        Crop = crop;
        Pixels = pixels;
        Landmarks = landmarks;
    }

    /// <summary>The face's landmarks in the image, when a detector or landmarker located them.</summary>
    public FaceLandmarks? Landmarks { get; }

    /// <summary>The face's box in the (upright) image.</summary>
    public FaceBox Box { get; }

    /// <summary>True when a detector found the face; false when the whole image is taken as one face.</summary>
    public bool Detected => DetectionScore is not null;

    /// <summary>The detector's confidence, or null when not detected.</summary>
    public float? DetectionScore { get; }

    /// <summary>
    /// The BGR region cut for the face, at the image's resolution, before it is resized to the model's input: the
    /// detector box widened by the model's <see cref="CropGeometry"/>, the face aligned on its eyes
    /// (<see cref="FaceAnalyzerOptions.Alignment"/>), or the whole image.
    /// </summary>
    public Mat Crop { get; }

    /// <summary>The crop resized to the model's input: HWC RGB bytes (<see cref="Imaging.ImagePreprocessing.WriteRgbPixels"/>).</summary>
    public byte[] Pixels { get; }

    /// <inheritdoc />
    public void Dispose() => Crop.Dispose();
}
