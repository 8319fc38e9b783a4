namespace Face2Data.Server.Contracts;

/// <summary>A point in image pixels.</summary>
/// <param name="X">Distance from the left edge.</param>
/// <param name="Y">Distance from the top edge.</param>
public sealed record PointResponse(float X, float Y);
