namespace Face2Data.Detection;

/// <summary>Makes a face detector from its name, for the command line and the server.</summary>
public static class FaceDetectors
{
    /// <summary>OpenCV's Haar cascade (<see cref="HaarFaceDetector"/>); needs Debian's <c>opencv-data</c> or a cascade file.</summary>
    public const string Haar = "haar";

    /// <summary>face-api.js's Tiny Face Detector CNN (<see cref="TinyFaceDetector"/>); the bundled ONNX file or another.</summary>
    public const string Tiny = "tiny";

    /// <summary>MediaPipe's BlazeFace CNN (<see cref="BlazeFaceDetector"/>, back-camera model); the bundled ONNX file or another.</summary>
    public const string BlazeFace = "blazeface";
    /// <summary>face-api.js's SSD MobileNet v1 CNN (<see cref="SsdFaceDetector"/>); the bundled ONNX file or another.</summary>
    public const string Ssd = "ssd";

    /// <summary>OpenCV's YuNet CNN (<see cref="YuNetFaceDetector"/>); needs its ONNX file.</summary>
    public const string YuNet = "yunet";

    /// <summary>
    /// The detector commands and the server use unless told otherwise: <see cref="BlazeFace"/>, which on the WIDER FACE
    /// photos finds 0.75 of the faces ≥ 64 px against the Haar cascade's 0.43, at a higher precision
    /// (docs/performance.md, "Detection on real photos").
    /// </summary>
    public const string Default = BlazeFace;

    /// <summary>No detector: every image is analysed as one face crop.</summary>
    public const string None = "none";

    /// <summary>The detectors a user chooses between, as help texts (CLI options, the OpenAPI document) describe them.</summary>
    public const string Choices = "blazeface (default), MediaPipe's BlazeFace CNN on the whole image and 512 px tiles (finds the most faces in real photos at good precision); ssd, face-api.js's SSD MobileNet v1 (more recall, less precision, slower); haar, the OpenCV Haar cascade; tiny, a small CNN (fastest, misses small faces); or none (the whole image is one face crop)";

    /// <summary>The detectors that need no file from the user (those <see cref="Choices"/> describes).</summary>
    public static IReadOnlyList<string> Bundled { get; } = [Haar, Tiny, BlazeFace, Ssd, None];

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Haar, Tiny, BlazeFace, Ssd, YuNet, None];

    /// <summary>
    /// The detector called <paramref name="name"/> (case-insensitive), or null for <see cref="None"/>. The caller
    /// disposes it.
    /// </summary>
    /// <param name="name"><c>haar</c>, <c>tiny</c>, <c>blazeface</c>, <c>ssd</c>, <c>yunet</c> or <c>none</c>.</param>
    /// <param name="haar">Haar settings; defaults when null.</param>
    /// <param name="yunetModelPath">The YuNet ONNX file; required for <c>yunet</c>.</param>
    /// <param name="yunet">Other YuNet settings; its <see cref="YuNetFaceDetectorOptions.ModelPath"/> is replaced by <paramref name="yunetModelPath"/> when that is given.</param>
    /// <param name="tiny">Tiny Face Detector settings; defaults (the bundled model) when null.</param>
    /// <param name="blazeFace">BlazeFace settings; defaults (the bundled back-camera model) when null.</param>
    /// <param name="ssd">SSD MobileNet v1 settings; defaults (the bundled model) when null.</param>
    /// <exception cref="ArgumentException">Unknown name, or <c>yunet</c> without a model file.</exception>
    public static IFaceDetector? Create(string name, HaarFaceDetectorOptions? haar = null, string? yunetModelPath = null, YuNetFaceDetectorOptions? yunet = null, TinyFaceDetectorOptions? tiny = null, BlazeFaceDetectorOptions? blazeFace = null, SsdFaceDetectorOptions? ssd = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case Haar:
                return new HaarFaceDetector(haar);
            case Tiny:
                return new TinyFaceDetector(tiny ?? new TinyFaceDetectorOptions());
            case BlazeFace:
                return new BlazeFaceDetector(blazeFace ?? new BlazeFaceDetectorOptions());
            case Ssd:
                return new SsdFaceDetector(ssd ?? new SsdFaceDetectorOptions());
            case YuNet:
                var modelPath = yunetModelPath ?? yunet?.ModelPath;
                if (string.IsNullOrWhiteSpace(modelPath))
                {
                    throw new ArgumentException("The yunet detector needs its ONNX model file (face_detection_yunet_2023mar.onnx from the OpenCV model zoo).", nameof(yunetModelPath));
                }

                return new YuNetFaceDetector((yunet ?? new YuNetFaceDetectorOptions { ModelPath = modelPath }) with { ModelPath = modelPath });
            case None:
                return null;
            default:
                throw new ArgumentException($"Unknown face detector '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }
}
