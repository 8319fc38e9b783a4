namespace Face2Data.Core.Inference;

/// <summary>
/// How the face crop a model was trained on relates to a detector's face box: the box is scaled by
/// <see cref="Scale"/> about its centre, then moved down by <see cref="ShiftY"/> box heights. The identity
/// (scale 1, shift 0) uses the box as it is, which is right for datasets of pre-aligned crops such as UTKFace.
/// </summary>
public sealed record CropGeometry
{
    /// <summary>Factor applied to the box's width and height about its centre (greater than 0).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Vertical move of the scaled box, in box heights (positive: down).</summary>
    public double ShiftY { get; init; }

    /// <summary>The detector's box, unchanged.</summary>
    public static CropGeometry Identity { get; } = new();
}
