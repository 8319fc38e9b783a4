namespace Face2Data.Imaging;

/// <summary>An image file format recognised from its leading bytes (never from a file name or content type).</summary>
public enum ImageFormat
{
    /// <summary>JPEG (JFIF or EXIF), baseline, extended or progressive.</summary>
    Jpeg,

    /// <summary>PNG; an animated PNG decodes as its default image.</summary>
    Png,

    /// <summary>GIF87a or GIF89a; an animated GIF decodes as its first frame.</summary>
    Gif,

    /// <summary>Windows bitmap (BMP).</summary>
    Bmp,

    /// <summary>WebP, lossy (VP8), lossless (VP8L) or extended (VP8X).</summary>
    Webp,

    /// <summary>TIFF (classic, not BigTIFF); a multi-page TIFF decodes as its first page.</summary>
    Tiff,
}
