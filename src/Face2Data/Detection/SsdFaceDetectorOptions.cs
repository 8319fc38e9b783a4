namespace Face2Data.Detection;

/// <summary>Settings of an <see cref="SsdFaceDetector"/>.</summary>
public sealed record SsdFaceDetectorOptions
{
    /// <summary>
    /// The ONNX file <c>face2data detector convert</c> wrote from face-api.js's SSD MobileNet v1 weights; null takes
    /// the one shipped beside the assemblies (<see cref="BundledPath"/>).
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Lowest face score kept (0 to 1). face-api.js's default is 0.5; 0.4 is the threshold with the best balance of
    /// recall and precision on the WIDER FACE photos (no threshold from 0.3 to 0.7 reaches a precision of 0.90 there;
    /// the rule and the figures: models/README.md).
    /// </summary>
    public float ScoreThreshold { get; init; } = 0.4f;

    /// <summary>Boxes overlapping a better one by more than this IoU are dropped (0 to 1); 0.5 is face-api.js's.</summary>
    public float IouThreshold { get; init; } = 0.5f;

    /// <summary>
    /// Tiling for small faces: besides the whole image at 512×512, the image scaled so that its longer side is at
    /// most this many pixels is covered by overlapping tiles of the network's input size (512×512), each run by the network, and all boxes are merged
    /// by non-maximum suppression. A face that is 20 pixels in a 1024-pixel photo is 10 in the whole-image pass and 20
    /// in a tile. Each tile costs one more run of the network; images whose longer side is at most
    /// the network's input side × 1.25 are never tiled. Null (the default) runs the whole image only.
    /// </summary>
    public int? TileSide { get; init; }

    /// <summary>Least overlap of neighbouring tiles, in tile pixels: a face this small cut by one tile lies whole in the next.</summary>
    public int TileOverlap { get; init; } = 128;

    /// <summary>
    /// Smallest face reported, in pixels of the full-resolution image. 24, the Haar cascade's: on the WIDER FACE photos
    /// at score 0.4 it gives precision 0.685 where 16 gives 0.603, for recall 0.594 against 0.589 (≥ 32 px).
    /// </summary>
    public int MinFaceSize { get; init; } = 24;

    /// <summary>Most faces reported per image (the best scored).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>
    /// Border of replicated pixels added to every side of near-square images (see <see cref="PadMaxAspect"/>), as a
    /// fraction of the shorter side (0 to 1): a tight face crop needs room around the face, and this network, trained on
    /// WIDER FACE's crowds, more than most: of 200 UTKFace crops (200×200) it finds 49% with 0.2 and 82% with 0.6
    /// (<c>crop-geometry --count 200 --seed 1 --setting ssd=bundled,pad=0.6</c>).
    /// </summary>
    public double PadFraction { get; init; } = 0.6;

    /// <summary>The border is added only when the longer side is at most this many times the shorter (tight crops).</summary>
    public double PadMaxAspect { get; init; } = 1.25;

    /// <summary>
    /// Null (the default) reports the network's own box, a rectangle framed as WIDER FACE's annotations frame faces
    /// (analysis squares it, <see cref="FaceCrop.Region"/>). A geometry reports a square instead (side = the box's
    /// longer side × <see cref="CropGeometry.Scale"/>, centre moved down by <see cref="CropGeometry.ShiftY"/> × that
    /// side), as <see cref="TinyFaceDetectorOptions.Framing"/> does.
    /// </summary>
    public CropGeometry? Framing { get; init; }

    /// <summary>ONNX Runtime threads per run; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Defaults (the bundled model).</summary>
    public static SsdFaceDetectorOptions Default { get; } = new();

    /// <summary>Where the shipped model is expected: <c>models/ssd_mobilenetv1.onnx</c> under the application's folder.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "models", "ssd_mobilenetv1.onnx");
}
