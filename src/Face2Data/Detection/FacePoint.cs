namespace Face2Data.Detection;

/// <summary>A point in image pixels (sub-pixel precision).</summary>
/// <param name="X">Distance from the image's left edge.</param>
/// <param name="Y">Distance from the image's top edge.</param>
public readonly record struct FacePoint(float X, float Y);
