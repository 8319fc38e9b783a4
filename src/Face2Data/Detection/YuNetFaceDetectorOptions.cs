namespace Face2Data.Detection;

/// <summary>Settings of a <see cref="YuNetFaceDetector"/>.</summary>
public sealed record YuNetFaceDetectorOptions
{
    /// <summary>
    /// The YuNet ONNX file, such as <c>face_detection_yunet_2023mar.onnx</c> from the OpenCV model zoo
    /// (<c>github.com/opencv/opencv_zoo</c>, <c>models/face_detection_yunet</c>).
    /// </summary>
    public required string ModelPath { get; init; }

    /// <summary>Lowest face score kept (0 to 1); 0.9 is OpenCV's default and the model zoo demo's.</summary>
    public float ScoreThreshold { get; init; } = 0.9f;

    /// <summary>Boxes overlapping a better one by more than this IoU are dropped (0 to 1).</summary>
    public float NmsThreshold { get; init; } = 0.3f;

    /// <summary>Candidates kept before non-maximum suppression.</summary>
    public int TopK { get; init; } = 5000;

    /// <summary>
    /// Side of the square the image (with its border) is scaled to fit before the network runs; a multiple of 32.
    /// Larger finds smaller faces in large photos, at a cost that grows with its square.
    /// </summary>
    public int InputSize { get; init; } = 640;

    /// <summary>Smallest face reported, in pixels of the full-resolution image.</summary>
    public int MinFaceSize { get; init; } = 16;

    /// <summary>Most faces reported per image (the best scored).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>Border of replicated pixels added to every side, as a fraction of the shorter side (0 to 1), for tight face crops.</summary>
    public double PadFraction { get; init; } = 0.2;
}
