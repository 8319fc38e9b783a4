namespace Face2Data.Server.Contracts;

/// <summary>An axis-aligned rectangle in image pixels.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public sealed record BoxResponse(int X, int Y, int Width, int Height);
