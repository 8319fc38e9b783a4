namespace Face2Data.Detection;

/// <summary>Settings of a <see cref="FaceLandmark68Landmarker"/>.</summary>
public sealed record FaceLandmark68LandmarkerOptions
{
    /// <summary>
    /// The ONNX file <c>face2data detector convert-landmarks</c> wrote from face-api.js's 68-point landmark weights;
    /// null takes the one shipped beside the assemblies (<see cref="BundledPath"/>).
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// The square the network sees, from the face box: side = the box's longer side × <see cref="CropGeometry.Scale"/>,
    /// centred on the box and moved down by <see cref="CropGeometry.ShiftY"/> × side; parts outside the image repeat
    /// its border. face-api.js feeds its own detectors' boxes as they are; the default suits the boxes this library's
    /// detectors report (Haar-framed, see <see cref="DefaultFraming"/>).
    /// </summary>
    public CropGeometry Framing { get; init; } = DefaultFraming;

    /// <summary>ONNX Runtime threads per run; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Defaults (the bundled model).</summary>
    public static FaceLandmark68LandmarkerOptions Default { get; } = new();

    /// <summary>Where the shipped model is expected: <c>models/face_landmark_68.onnx</c> under the application's folder.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "models", "face_landmark_68.onnx");

    /// <summary>The default <see cref="Framing"/>.</summary>
    public static CropGeometry DefaultFraming { get; } = CropGeometry.Identity;
}
