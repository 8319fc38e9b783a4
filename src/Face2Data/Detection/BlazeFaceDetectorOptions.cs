namespace Face2Data.Detection;

/// <summary>Settings of a <see cref="BlazeFaceDetector"/>.</summary>
public sealed record BlazeFaceDetectorOptions
{
    /// <summary>
    /// The ONNX file <c>face2data detector convert-graph --normalize mediapipe</c> wrote from one of MediaPipe's
    /// BlazeFace TensorFlow.js models (input side 128, 192 or 256); null takes the bundled back-camera model
    /// (<see cref="BundledPath"/>), which found the most faces of the three on real photos without tiles at about the
    /// same cost (benchmarks/Face2Data.Benchmarks/README.md, <c>wider</c>).
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Lowest score (0 to 1) of a face reported; null takes the model's default (<see cref="DefaultScoreThreshold"/>):
    /// 0.6 for the short- and full-range models, 0.65 for the back-camera one, chosen on the WIDER FACE photos of
    /// benchmarks/Face2Data.Benchmarks/README.md (<c>wider</c>), where 0.5 (MediaPipe's short-range setting) gave
    /// precision 0.55 and 0.6 gave 0.71 for the short-range model with tiles, 0.75 gave 0.91 for the back-camera one at
    /// a tenth less recall of faces of 32 px and more.
    /// </summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Candidates overlapping a better one by more than this IoU are blended into it (MediaPipe: 0.3).</summary>
    public float IouThreshold { get; init; } = 0.3f;

    /// <summary>
    /// Side, in source pixels, of the overlapping square tiles the image is also scanned in, each scaled to the
    /// network's input, so that small faces in large photos are seen large enough; null scans the whole image only
    /// (one run). An image no larger than a tile is scanned whole. Each tile costs one more run. Default 512: on the
    /// WIDER FACE photos it raises recall of faces ≥ 32 px from 0.29 to 0.56 (docs/performance.md, "Detection on real photos").
    /// </summary>
    public int? TileSize { get; init; } = 512;

    /// <summary>Overlap of neighbouring tiles as a fraction of <see cref="TileSize"/> (0 to 0.9); a face smaller than the overlap lies whole in some tile.</summary>
    public double TileOverlap { get; init; } = 0.25;

    /// <summary>
    /// With tiles, a larger image is scaled down to this longer side before it is scanned (faces are reported in its
    /// own pixels): a 4000×3000 phone photo would otherwise take about a hundred tiles. Null scans every image at full
    /// size. Default 1280: a 1280×720 photo, and WIDER FACE's 1024-wide photos, are scanned as they are.
    /// </summary>
    public int? MaxScanSide { get; init; } = 1280;

    /// <summary>
    /// Most tiles scanned at once (at least 1; default 2): on a server with idle cores one photo's tiles finish about
    /// that many times sooner; under full load it changes little.
    /// </summary>
    public int TileThreads { get; init; } = 2;

    /// <summary>
    /// Border of replicated pixels added to every side of near-square images (see <see cref="PadMaxAspect"/>) before
    /// the whole-image run, as a fraction of the shorter side (0 to 1): a tight face crop needs room around the face.
    /// </summary>
    public double PadFraction { get; init; } = 0.2;

    /// <summary>The border is added only when the longer side is at most this many times the shorter (tight crops).</summary>
    public double PadMaxAspect { get; init; } = 1.25;

    /// <summary>Smallest face reported, in pixels of the full-resolution image.</summary>
    public int MinFaceSize { get; init; } = 8;

    /// <summary>Most faces reported per image (the best scored).</summary>
    public int MaxFaces { get; init; } = 100;

    /// <summary>
    /// Turns the network's box into the reported box (see <see cref="TinyFaceDetectorOptions.Framing"/>). The default,
    /// <see cref="HaarFraming"/>, reports the box the Haar cascade gives for the same face, so the attribute model's
    /// crop frames the face as it was trained; on WIDER FACE it also matched the ground truth slightly better than the
    /// network's own box (recall ≥ 64 px 0.623 against 0.613, precision 0.787 against 0.774 for the back-camera
    /// model). <see cref="CropGeometry.Identity"/> reports a square around the network's box.
    /// </summary>
    public CropGeometry Framing { get; init; } = HaarFraming;

    /// <summary>ONNX Runtime threads per run; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// The framing that turns the back-camera model's box into the Haar cascade's box for the same face: 1.033 times
    /// its side, centre 0.096 of that side higher.
    /// </summary>
    /// <remarks>
    /// Measured with <c>face2data-bench crop-geometry --count 200 --seed 1 --setting blazeface=back</c>: over 595
    /// boxes of 200 UTKFace crops pasted on canvases, the crop is 1.064 times the network box's side (p10–p90
    /// 1.02–1.12) and centred 0.005 crop sides above it; with <see cref="CropGeometry.UtkFaceHaar"/> (1.03, 0.088
    /// below) that gives 1.064 / 1.03 = 1.033 and (−0.005 − 0.088) × 1.03 = −0.096. Checked on the crops themselves
    /// (padded by <see cref="PadFraction"/>): found in 98.0%, the crop this framing cuts overlaps the whole image by
    /// IoU ≥ 0.7 in 95.5% (median IoU 0.898).
    /// </remarks>
    public static CropGeometry HaarFraming { get; } = new() { Scale = 1.033, ShiftY = -0.096 };

    /// <summary>The default <see cref="ScoreThreshold"/> of the model with this input side (128, 192 or 256).</summary>
    public static float DefaultScoreThreshold(int inputSize) => inputSize == 256 ? 0.65f : 0.6f;

    /// <summary>Where the default model is expected: <c>models/blazeface_back.onnx</c> under the application's folder.</summary>
    public static string BundledPath => Bundled("blazeface_back.onnx");

    /// <summary>A bundled model by file name (such as <c>blazeface_short_range.onnx</c>), under the application's models folder.</summary>
    public static string Bundled(string fileName) => Path.Combine(AppContext.BaseDirectory, "models", fileName);
}
