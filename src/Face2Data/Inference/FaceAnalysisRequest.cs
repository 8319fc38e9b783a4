using Face2Data.Detection;

namespace Face2Data.Inference;

/// <summary>
/// The settings of one analysis call, where they differ from the analyzer's own (a server lets each request choose
/// them). <see cref="FaceAnalyzer.DefaultRequest"/> is what a call without one gets; change it with <c>with</c>.
/// </summary>
public sealed record FaceAnalysisRequest
{
    /// <summary>Whether faces are detected first.</summary>
    public DetectionMode Detection { get; init; } = DetectionMode.Auto;

    /// <summary>Most faces analysed, the largest ones; at least 1.</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>The detector for this call instead of the analyzer's own; null keeps the analyzer's. Not disposed.</summary>
    public IFaceDetector? Detector { get; init; }
}
