namespace Face2Data.Imaging;

/// <summary>Builds the <see cref="ImageDecodeException"/>s of the format readers, so their messages read alike.</summary>
internal static class ImageError
{
    public static ImageDecodeException Truncated(ImageFormat format, string detail) =>
        new(ImageErrorKind.Truncated, $"The {Name(format)} image is truncated: {detail}.");

    public static ImageDecodeException Corrupt(ImageFormat format, string detail, Exception? innerException = null) =>
        new(ImageErrorKind.Corrupt, $"The {Name(format)} image is corrupt: {detail}.", innerException);

    public static ImageDecodeException Unsupported(ImageFormat format, string detail) =>
        new(ImageErrorKind.Unsupported, $"The {Name(format)} image is of an unsupported kind: {detail}.");

    public static string Name(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        ImageFormat.Gif => "GIF",
        ImageFormat.Bmp => "BMP",
        ImageFormat.Webp => "WebP",
        ImageFormat.Tiff => "TIFF",
        _ => format.ToString(),
    };
}
