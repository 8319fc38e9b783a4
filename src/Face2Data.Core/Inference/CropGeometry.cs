namespace Face2Data.Core.Inference;

/// <summary>
/// How the face crop a model was trained on relates to a detector's face box: a square of side
/// max(box width, box height) × <see cref="Scale"/>, centred on the box, moved down by <see cref="ShiftY"/> × that
/// side (see <see cref="Detection.FaceCrop"/>). The identity (scale 1, shift 0) cuts the box as it is.
/// </summary>
public sealed record CropGeometry
{
    /// <summary>Crop side over the box's longer side (greater than 0).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Vertical move of the crop's centre from the box's centre, in crop sides (positive: down).</summary>
    public double ShiftY { get; init; }

    /// <summary>The detector's box, unchanged.</summary>
    public static CropGeometry Identity { get; } = new();

    /// <summary>
    /// UTKFace's framing from a box of <see cref="Detection.HaarFaceDetector"/> with its default cascade
    /// (<c>haarcascade_frontalface_default.xml</c>): the crop is as wide as the box and centred 0.085 crop sides
    /// below it.
    /// </summary>
    /// <remarks>
    /// Measured with <c>face2data-bench crop-geometry --count 500 --seed 1</c> (benchmarks/Face2Data.Benchmarks):
    /// 500 random 200×200 UTKFace crops, each pasted at a random place in a 400×400 canvas filled three ways
    /// (replicated edges, the crop's mean colour, noise), detected with the default settings (scale factor 1.1,
    /// 5 neighbours). Found in 93.0%, 82.4% and 89.2% of the canvases; over the 1,323 boxes, crop side / box side
    /// has median 1.005 (p10–p90 about 0.90–1.14) and (crop centre − box centre) / crop side has median 0.085
    /// vertically (p10–p90 0.06–0.11) and 0.008 horizontally (taken as 0). Scale is rounded to 1.0.
    /// </remarks>
    public static CropGeometry UtkFaceHaar { get; } = new() { Scale = 1.0, ShiftY = 0.085 };
}
