
namespace Face2Data.Detection;

/// <summary>Settings of a <see cref="TinyFaceDetector"/>.</summary>
public sealed record TinyFaceDetectorOptions
{
    /// <summary>
    /// The ONNX file <c>face2data detector convert</c> wrote from face-api.js's Tiny Face Detector weights; null
    /// takes the one shipped beside the assemblies (<see cref="BundledPath"/>).
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Longer side, in pixels, the image (with its border) is scaled to before the network runs; a multiple of 32.
    /// The network finds faces of about 20 pixels and more at that scale, so larger finds smaller faces in large
    /// photos, at a cost that grows with the pixels. Smaller images are not enlarged.
    /// </summary>
    public int InputSize { get; init; } = 640;

    /// <summary>
    /// An image that looks like a face crop (<see cref="FaceCrop.LooksLikeACrop"/>: near-square, at most 512
    /// pixels) is first run at this longer side (a multiple of 32), since its face fills it; only when that finds
    /// nothing is it run at <see cref="InputSize"/>. Null runs crops like any image.
    /// </summary>
    public int? CropInputSize { get; init; } = 224;

    /// <summary>Lowest face score kept (0 to 1). face-api.js's default is 0.5.</summary>
    public float ScoreThreshold { get; init; } = 0.3f;

    /// <summary>Boxes overlapping a better one by more than this IoU are dropped (0 to 1); 0.4 is face-api.js's.</summary>
    public float IouThreshold { get; init; } = 0.4f;

    /// <summary>Smallest face reported, in pixels of the full-resolution image.</summary>
    public int MinFaceSize { get; init; } = 16;

    /// <summary>Most faces reported per image (the best scored).</summary>
    public int MaxFaces { get; init; } = 20;

    /// <summary>
    /// Border of replicated pixels added to every side of near-square images (see <see cref="PadMaxAspect"/>), as a
    /// fraction of the shorter side (0 to 1): a tight face crop needs room around the face.
    /// </summary>
    public double PadFraction { get; init; } = 0.2;

    /// <summary>The border is added only when the longer side is at most this many times the shorter (tight crops).</summary>
    public double PadMaxAspect { get; init; } = 1.25;

    /// <summary>
    /// Turns the network's box into the square box <see cref="HaarFaceDetector"/> reports for the same face (side =
    /// the box's longer side × <see cref="CropGeometry.Scale"/>, centre moved down by <see cref="CropGeometry.ShiftY"/>
    /// × that side), so that a model's crop geometry, measured on Haar boxes, frames the face as the model was
    /// trained. <see cref="CropGeometry.Identity"/> reports a square around the network's own box.
    /// </summary>
    public CropGeometry Framing { get; init; } = HaarFraming;

    /// <summary>
    /// ONNX Runtime threads per run; 0 lets ONNX Runtime choose. 2 nearly halves one photo's detection time on two
    /// cores, and costs throughput when requests run at once (docs/performance.md, section 8).
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Defaults (the bundled model).</summary>
    public static TinyFaceDetectorOptions Default { get; } = new();

    /// <summary>Where the shipped model is expected: <c>models/tiny_face_detector.onnx</c> under the application's folder.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "models", "tiny_face_detector.onnx");

    /// <summary>
    /// The default <see cref="Framing"/>: the Haar box is 0.929 times the network box's longer side, its centre 0.127
    /// of its side higher.
    /// </summary>
    /// <remarks>
    /// Measured with <c>face2data-bench crop-geometry --count 500 --seed 1 --setting tiny=PATH,framing=none</c>: over
    /// 1,105 boxes of 500 UTKFace crops pasted on canvases, the UTKFace crop is 0.957 times the network box's side
    /// (p10–p90 0.88–1.04) and centred 0.035 crop sides above it; the Haar geometry
    /// (<see cref="CropGeometry.UtkFaceHaar"/>: 1.03, 0.088 below) then gives 0.957 / 1.03 = 0.929 and
    /// (−0.035 − 0.088) × 1.03 = −0.127. Checked with the framing on: the crops measure 1.026 times the reported box,
    /// centred 0.085 sides below it.
    /// </remarks>
    public static CropGeometry HaarFraming { get; } = new() { Scale = 0.929, ShiftY = -0.127 };
}
