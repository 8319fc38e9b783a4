namespace Face2Data.Detection;

/// <summary>A candidate box from a detector network, in the network input's (sub)pixels, with its score.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="Score">Confidence, 0 to 1.</param>
public readonly record struct ScoredBox(float X, float Y, float Width, float Height, float Score)
{
    /// <summary>Intersection over union with another box (0 when they do not overlap).</summary>
    public double IntersectionOverUnion(ScoredBox other) =>
        FaceBox.IntersectionOverUnion(X, Y, Width, Height, other.X, other.Y, other.Width, other.Height);
}
