namespace Face2Data.Server.Contracts;

/// <summary>An image's upright size in pixels (after EXIF orientation).</summary>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public sealed record ImageSizeResponse(int Width, int Height);
