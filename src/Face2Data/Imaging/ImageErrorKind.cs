namespace Face2Data.Imaging;

/// <summary>
/// Why an image was refused. Every kind is the caller's fault, so each maps to an HTTP 4xx status:
/// <see cref="TooManyBytes"/> to 413, <see cref="Unsupported"/> to 415 and the rest to 422 — <see cref="TooLarge"/>
/// included, since the request itself may be small: it is the picture its header declares that is refused.
/// </summary>
public enum ImageErrorKind
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>The bytes do not start with the signature of any accepted format (JPEG, PNG, GIF, BMP, WebP, TIFF).</summary>
    NotAnImage,

    /// <summary>The bytes start like an image of a known format but stop before its end.</summary>
    Truncated,

    /// <summary>The bytes start like an image of a known format but their structure or compressed data is invalid.</summary>
    Corrupt,

    /// <summary>The image declares more pixels than <see cref="ImageDecodeOptions.MaxPixels"/> allows.</summary>
    TooLarge,

    /// <summary>The input holds more bytes than <see cref="ImageDecodeOptions.MaxBytes"/> allows.</summary>
    TooManyBytes,

    /// <summary>A known format in a variant that is not decoded (hierarchical JPEG, BigTIFF, floating-point samples…).</summary>
    Unsupported,
}
