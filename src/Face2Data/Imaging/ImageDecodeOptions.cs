namespace Face2Data.Imaging;

/// <summary>Limits and choices for <see cref="ImageDecoder"/>.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Most bytes accepted as one encoded image (default 20 MiB); more is <see cref="ImageErrorKind.TooManyBytes"/>.</summary>
    public int MaxBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>
    /// Most pixels an image may declare in its header (default 40 million); more is
    /// <see cref="ImageErrorKind.TooLarge"/>, refused before any pixel memory is allocated.
    /// </summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// When set, a JPEG whose longer side exceeds it is decoded at 1/2, 1/4 or 1/8 scale (the least reduction that
    /// brings the longer side within it, at most 1/8) using the JPEG decoder's own scaling, which is fast and
    /// allocates only the smaller image. Meant for face detection, which needs no full resolution.
    /// Other formats always decode at full size. Null (the default) never reduces.
    /// </summary>
    public int? MaxDecodeSide { get; init; }
}
