namespace Face2Data.Inference;

/// <summary>Every face found in one image, largest first, with the image's upright size and where the time went.</summary>
/// <param name="Width">Image width after EXIF orientation.</param>
/// <param name="Height">Image height after EXIF orientation.</param>
/// <param name="Faces">The faces, largest first.</param>
/// <param name="Timings">Milliseconds spent decoding, detecting and running the model.</param>
public sealed record FaceAnalysis(int Width, int Height, IReadOnlyList<FaceResult> Faces, AnalysisTimings Timings);

/// <summary>Milliseconds spent on each step of an analysis.</summary>
/// <param name="DecodeMs">Decoding the image bytes (0 when given pixels).</param>
/// <param name="DetectMs">Finding faces.</param>
/// <param name="InferMs">Cropping, preprocessing and running the model.</param>
public readonly record struct AnalysisTimings(double DecodeMs, double DetectMs, double InferMs)
{
    /// <summary>The sum of the steps.</summary>
    public double TotalMs => DecodeMs + DetectMs + InferMs;
}
