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

    /// <summary>Where the shipped model is expected: <c>models/face_landmark_68.onnx</c> under the application's folder.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "models", "face_landmark_68.onnx");

    /// <summary>
    /// The default <see cref="Framing"/>: from a Haar-framed box (what every detector here reports), the box
    /// face-api.js's own Tiny Face Detector draws around the same face, which is what the network is fed in face-api.js:
    /// 1.08 times the side, centred 0.12 of its side lower (the inverse of <see cref="TinyFaceDetectorOptions.HaarFraming"/>:
    /// 1 / 0.929 and 0.127 × 0.929).
    /// </summary>
    /// <remarks>
    /// The five points hardly depend on it: measured with <c>face2data-bench landmarks --count 500 --seed 1</c> over
    /// framings from 1.0 to 1.4 times the box, on UTKFace crops (whole-crop and Haar boxes) the points' medians move
    /// by at most 1.5 pixels in 200, the roll's p10–p90 stays about −1.8° to 2.4° and the points move by 1.6–2.1% of the
    /// eye distance when the box moves by 5%; on the 204 London portraits all five points lie in the Haar box with the
    /// eyes above the mouth at every framing. The box as it is (scale 1) squeezes the jaw line into the box, whose
    /// bottom often runs above the chin; from 1.08 on, the jaw points reach below it as the chin does.
    /// </remarks>
    public static CropGeometry DefaultFraming { get; } = new() { Scale = 1.08, ShiftY = 0.12 };

    /// <summary>Defaults (the bundled model). Declared after <see cref="DefaultFraming"/>, which static initialisation needs first.</summary>
    public static FaceLandmark68LandmarkerOptions Default { get; } = new();
}
