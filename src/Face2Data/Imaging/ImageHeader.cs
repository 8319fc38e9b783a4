namespace Face2Data.Imaging;

/// <summary>
/// What an image's header declares, read without decoding pixels. <see cref="Width"/> and <see cref="Height"/> are
/// the stored size; after <see cref="Orientation"/> is applied they swap when <see cref="SwapsAxes"/> is true.
/// </summary>
/// <param name="Format">The file format.</param>
/// <param name="Width">Stored width in pixels (GIF: the logical screen).</param>
/// <param name="Height">Stored height in pixels (GIF: the logical screen).</param>
/// <param name="Orientation">EXIF orientation of a JPEG; <see cref="ExifOrientation.Normal"/> for other formats.</param>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height, ExifOrientation Orientation = ExifOrientation.Normal)
{
    /// <summary>Declared number of pixels, <see cref="Width"/> × <see cref="Height"/>.</summary>
    public long PixelCount => (long)Width * Height;

    /// <summary>Whether applying <see cref="Orientation"/> turns the image a quarter turn (width and height swap).</summary>
    public bool SwapsAxes => Orientation is ExifOrientation.Transpose or ExifOrientation.Rotate90
        or ExifOrientation.Transverse or ExifOrientation.Rotate270;
}
