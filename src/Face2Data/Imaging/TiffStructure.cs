namespace Face2Data.Imaging;

/// <summary>
/// Reads a TIFF's size from its first directory. Completeness is not checked here (strips may lie anywhere in
/// the file); libtiff reports missing data as an error, which the decoder maps to <see cref="ImageErrorKind.Corrupt"/>.
/// </summary>
internal static class TiffStructure
{
    private const ushort ImageWidthTag = 256;
    private const ushort ImageLengthTag = 257;
    private const ushort RowsPerStripTag = 278;
    private const ushort TileWidthTag = 322;
    private const ushort TileLengthTag = 323;

    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        TiffDirectory.HasClassicSignature(data) || TiffDirectory.HasBigTiffSignature(data);

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (TiffDirectory.HasBigTiffSignature(data))
        {
            return ImageError.Unsupported(ImageFormat.Tiff, "BigTIFF");
        }

        var error = TiffDirectory.ReadTag(data, ImageWidthTag, out var width);
        if (error is not null)
        {
            return error;
        }

        error = TiffDirectory.ReadTag(data, ImageLengthTag, out var height);
        if (error is not null)
        {
            return error;
        }

        if (width is null or 0 or > int.MaxValue || height is null or 0 or > int.MaxValue)
        {
            return ImageError.Corrupt(ImageFormat.Tiff, $"its first directory declares an invalid size {width}x{height}");
        }

        header = new ImageHeader(ImageFormat.Tiff, (int)width.Value, (int)height.Value);
        return null;
    }

    /// <summary>
    /// Pixels in the strip or tile buffer OpenCV allocates besides the image: a tile, or image width × RowsPerStrip,
    /// which a file may declare far larger than the image itself (OpenCV accepts up to 1 GiB).
    /// </summary>
    public static long BufferPixels(ReadOnlySpan<byte> data, ImageHeader header)
    {
        _ = TiffDirectory.ReadTag(data, TileWidthTag, out var tileWidth);
        _ = TiffDirectory.ReadTag(data, TileLengthTag, out var tileLength);
        if (tileWidth is not null || tileLength is not null)
        {
            return (long)(tileWidth ?? 0) * (tileLength ?? 0);
        }

        _ = TiffDirectory.ReadTag(data, RowsPerStripTag, out var rowsPerStrip);
        var rows = rowsPerStrip is null or 0 or uint.MaxValue ? (uint)header.Height : rowsPerStrip.Value;
        return (long)header.Width * rows;
    }
}
