using Face2Data.Detection;
using Face2Data.Inference;

namespace Face2Data.Models;

/// <summary>
/// The model files this package puts in <c>models/</c> beside the application, and the one-line way to use them.
/// </summary>
public static class BundledModels
{
    /// <summary>The default attribute model: age, gender and race (<c>models/face2data.onnx</c>).</summary>
    public static string AttributeModelPath => BundledModel.Path;

    /// <summary>
    /// The transfer-learned attribute model (<c>models/face2data_resnet.onnx</c>, <c>face2data-resnet</c>): age, gender
    /// and race heads on face-api.js's face recognition ResNet and its age and gender network, more accurate on real
    /// photos than the default (LFW gender 0.951 against 0.904, London age MAE 3.90 against 4.30 years) at about 5 ms a
    /// face on one core instead of 1; load it with <c>FaceAnalyzer.Load(BundledModels.ResNetAttributeModelPath,
    /// detector: …)</c>. Not the default: see models/README.md.
    /// </summary>
    public static string ResNetAttributeModelPath => Path.Combine(Path.GetDirectoryName(BundledModel.Path)!, "face2data_resnet.onnx");

    /// <summary>The Tiny Face Detector (<c>models/tiny_face_detector.onnx</c>).</summary>
    public static string TinyFaceDetectorPath => TinyFaceDetectorOptions.BundledPath;

    /// <summary>face-api.js's 68-point face landmark network (<c>models/face_landmark_68.onnx</c>), run by <see cref="FaceLandmark68Landmarker"/>.</summary>
    public static string FaceLandmark68Path => FaceLandmark68LandmarkerOptions.BundledPath;

    /// <summary>
    /// A ready <see cref="FaceAnalyzer"/> with the default attribute model, for example
    /// <c>using var detector = FaceDetectors.Create(FaceDetectors.Default); using var analyzer = BundledModels.LoadAnalyzer(detector: detector);</c>.
    /// </summary>
    /// <param name="options">Limits, threads, alignment; defaults when null.</param>
    /// <param name="detector">Face detector; null treats every image as one face crop. Used, not disposed.</param>
    /// <param name="landmarker">Locates landmarks of faces the detector gives none for; null leaves them without. Used, not disposed.</param>
    /// <exception cref="FileNotFoundException">The model file is not beside the application.</exception>
    public static FaceAnalyzer LoadAnalyzer(FaceAnalyzerOptions? options = null, IFaceDetector? detector = null, IFaceLandmarker? landmarker = null) =>
        FaceAnalyzer.LoadDefault(options, detector, landmarker);

    /// <summary>
    /// The bundled 68-point landmark network (<c>models/face_landmark_68.onnx</c>), which gives every detected face its
    /// eyes, nose and mouth corners; pass it to <see cref="LoadAnalyzer"/>. The caller disposes it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model file is not beside the application.</exception>
    public static FaceLandmark68Landmarker LoadLandmarker() => new(FaceLandmark68LandmarkerOptions.Default);
}
