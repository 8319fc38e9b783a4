namespace Face2Data.Detection;

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
    /// (<c>haarcascade_frontalface_alt2.xml</c>): the crop is 1.03 times the box's side and centred 0.088 crop
    /// sides below it.
    /// </summary>
    /// <remarks>
    /// Measured with <c>face2data-bench crop-geometry --count 500 --seed 1</c> (benchmarks/Face2Data.Benchmarks):
    /// 500 random 200×200 UTKFace crops, each pasted at a random place in a 400×400 canvas filled three ways
    /// (replicated edges, the crop's mean colour, noise) and detected with the default settings. Found in 97.8%,
    /// 97.2% and 96.4% of the canvases; over the 1,457 boxes, crop side / box side has median 1.031 (p10–p90
    /// about 0.92–1.17) and (crop centre − box centre) / crop side has median 0.088 vertically (p10–p90
    /// 0.06–0.11) and 0.005 horizontally (taken as 0). On the crops themselves (the detector padding them by 0.2),
    /// the crop this geometry cuts overlaps the whole image by IoU ≥ 0.8 in 94.8% of them (median IoU 0.897).
    /// </remarks>
    public static CropGeometry UtkFaceHaar { get; } = new() { Scale = 1.03, ShiftY = 0.088 };
}
