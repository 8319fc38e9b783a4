namespace Face2Data.Imaging;

/// <summary>
/// Identifies an image from its leading bytes and reads its declared size without decoding any pixels, so that
/// oversized images (decompression bombs) can be refused before a decoder allocates memory for them.
/// </summary>
public static class ImageHeaderReader
{
    /// <summary>Recognises the format from the signature at the start of <paramref name="data"/>.</summary>
    /// <returns>False when no supported format's signature is there.</returns>
    public static bool TryDetectFormat(ReadOnlySpan<byte> data, out ImageFormat format)
    {
        format = default;
        if (JpegStructure.HasSignature(data))
        {
            format = ImageFormat.Jpeg;
        }
        else if (PngStructure.HasSignature(data))
        {
            format = ImageFormat.Png;
        }
        else if (GifStructure.HasSignature(data))
        {
            format = ImageFormat.Gif;
        }
        else if (WebpStructure.HasSignature(data))
        {
            format = ImageFormat.Webp;
        }
        else if (BmpStructure.HasSignature(data))
        {
            format = ImageFormat.Bmp;
        }
        else if (TiffStructure.HasSignature(data))
        {
            format = ImageFormat.Tiff;
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads the format, declared size and (for JPEG) EXIF orientation from the header. Reads only the header
    /// region and is linear in its length, whatever the bytes are.
    /// </summary>
    /// <returns>False when the data is not a supported image or its header is truncated or malformed.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out ImageHeader header) => Read(data, out header) is null;

    /// <summary>Reads the header; returns null on success, else the reason it cannot be read.</summary>
    internal static ImageDecodeException? Read(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (data.IsEmpty)
        {
            return new ImageDecodeException(ImageErrorKind.Empty, "The image is empty (0 bytes).");
        }

        if (!TryDetectFormat(data, out var format))
        {
            return new ImageDecodeException(
                ImageErrorKind.NotAnImage,
                $"The data ({data.Length} bytes) is not a JPEG, PNG, GIF, BMP, WebP or TIFF image: its first bytes match no known signature.");
        }

        return format switch
        {
            ImageFormat.Jpeg => JpegStructure.ReadHeader(data, out header),
            ImageFormat.Png => PngStructure.ReadHeader(data, out header),
            ImageFormat.Gif => GifStructure.ReadHeader(data, out header),
            ImageFormat.Bmp => BmpStructure.ReadHeader(data, out header),
            ImageFormat.Webp => WebpStructure.ReadHeader(data, out header),
            ImageFormat.Tiff => TiffStructure.ReadHeader(data, out header),
            _ => throw new ArgumentOutOfRangeException(nameof(data)),
        };
    }

    /// <summary>
    /// Most pixels the decoder allocates memory for: the declared image, or for TIFF a larger strip or tile buffer.
    /// </summary>
    internal static long DecodeBufferPixels(ImageHeader header, ReadOnlySpan<byte> data) =>
        header.Format == ImageFormat.Tiff ? Math.Max(header.PixelCount, TiffStructure.BufferPixels(data, header)) : header.PixelCount;

    /// <summary>
    /// Checks that data whose header was read holds the whole image (JPEG to EOI, PNG to IEND, GIF to its trailer,
    /// BMP pixel array, WebP RIFF size); TIFF is not checked. Returns null when complete.
    /// </summary>
    internal static ImageDecodeException? CheckComplete(ImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        ImageFormat.Jpeg => JpegStructure.CheckComplete(data),
        ImageFormat.Png => PngStructure.CheckComplete(data),
        ImageFormat.Gif => GifStructure.CheckComplete(data),
        ImageFormat.Bmp => BmpStructure.CheckComplete(data),
        ImageFormat.Webp => WebpStructure.CheckComplete(data),
        _ => null,
    };
}
