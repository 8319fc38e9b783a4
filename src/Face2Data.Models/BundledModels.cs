using Face2Data.Detection;
using Face2Data.Inference;

namespace Face2Data.Models;

/// <summary>
/// The model files this package puts in <c>models/</c> beside the application, and the one-line way to use them.
/// </summary>
public static class BundledModels
{
    /// <summary>
    /// The default attribute model: age, gender and race (<c>models/face2data.onnx</c>, <c>face2data-resnet134</c>), heads
    /// on face-api.js's face recognition ResNet and its age and gender network, about 4 ms a face on one core.
    /// </summary>
    public static string AttributeModelPath => BundledModel.Path;

    /// <summary>
    /// The larger variant of the default (<c>models/face2data_resnet.onnx</c>, <c>face2data-resnet</c>): both networks at
    /// their own input sizes, about 5 ms a face on one core; better on London's ages (MAE 3.90 against 4.09 years), not
    /// on LFW's genders (0.951 against 0.958). Load it with <c>FaceAnalyzer.Load(BundledModels.ResNetAttributeModelPath,
    /// detector: …)</c>; models/README.md compares them.
    /// </summary>
    public static string ResNetAttributeModelPath => Path.Combine(Path.GetDirectoryName(BundledModel.Path)!, "face2data_resnet.onnx");

    /// <summary>
    /// The small attribute model trained from scratch (<c>models/face2data_f2d80.onnx</c>, <c>face2data-f2d80</c>, the
    /// default until issue 19): under 1 ms a face on one core, weaker on real photos (LFW gender 0.904).
    /// </summary>
    public static string SmallAttributeModelPath => Path.Combine(Path.GetDirectoryName(BundledModel.Path)!, "face2data_f2d80.onnx");

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
