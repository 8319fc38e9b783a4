using Face2Data.Core.Detection;
using Face2Data.Core.Imaging;

namespace Face2Data.Core.Inference;

/// <summary>Settings of a <see cref="FaceAnalyzer"/>.</summary>
public sealed record FaceAnalyzerOptions
{
    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Limits on the images accepted (bytes, pixels).</summary>
    public ImageDecodeOptions Decode { get; init; } = new();

    /// <summary>Whether faces are detected first; without a detector the whole image is one face.</summary>
    public DetectionMode Detection { get; init; } = DetectionMode.Auto;

    /// <summary>Most faces analysed per image (the largest ones).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>Defaults.</summary>
    public static FaceAnalyzerOptions Default { get; } = new();
}
