using Face2Data.Detection;
using Face2Data.Imaging;

namespace Face2Data.Inference;

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

    /// <summary>
    /// When set and faces are detected, a JPEG at least twice this size is decoded at 1/2, 1/4 or 1/8 scale — the
    /// most that keeps its longer side at least this many pixels — and the detector scans that (boxes are reported in
    /// full-resolution pixels). Faces are cut from the reduced image when their crop there is at least the model's
    /// input size, otherwise from a full-resolution decode. Set it to the detector's scanning size (Haar's
    /// <see cref="HaarFaceDetectorOptions.DetectionMaxSide"/>, <see cref="IFaceDetector.ScanSide"/>), which scales
    /// larger images down anyway. A detector given for one call decodes for its own <see cref="IFaceDetector.ScanSide"/>
    /// instead, when it has one. Null (the default) always decodes at full size.
    /// </summary>
    public int? ReducedDecodeSide { get; init; }

    /// <summary>
    /// When set, <see cref="FaceAnalyzer.AnalyzeAsync(ReadOnlyMemory{byte}, FaceAnalysisRequest, CancellationToken)"/>
    /// gathers the faces of concurrent calls into shared model runs (<see cref="InferenceBatcher"/>); null runs each
    /// call's faces on their own.
    /// </summary>
    public InferenceBatcherOptions? Batching { get; init; }

    /// <summary>
    /// When set, a detected face with landmarks is cut with the similarity transform that puts its eyes where the
    /// model's training crops have them (<see cref="FaceCrop.ExtractAligned"/>), so tilted faces come out level;
    /// faces without landmarks keep the box crop of the model's <see cref="CropGeometry"/>. Null cuts every face by
    /// its box.
    /// </summary>
    public EyeAlignment? Alignment { get; init; }

    /// <summary>Defaults.</summary>
    public static FaceAnalyzerOptions Default { get; } = new();
}
