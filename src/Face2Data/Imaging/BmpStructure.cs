using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Reads a BMP's file and DIB headers. Completeness is checked for uncompressed bitmaps (the pixel array must fit
/// in the data); run-length encoded ones are left to the decoder.
/// </summary>
internal static class BmpStructure
{
    private const int FileHeaderLength = 14;
    private const int CoreHeaderLength = 12;
    private const int InfoHeaderLength = 40;

    // "BM" alone is too weak a signature (text can start with it): also require a known DIB header size.
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= FileHeaderLength + 4 && data[0] == 'B' && data[1] == 'M'
        && BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeaderLength..]) is CoreHeaderLength or InfoHeaderLength or 52 or 56 or 64 or 108 or 124;

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        var error = ReadDib(data, out var width, out var height, out _, out _);
        if (error is null)
        {
            header = new ImageHeader(ImageFormat.Bmp, width, height);
        }

        return error;
    }

    public static ImageDecodeException? CheckComplete(ReadOnlySpan<byte> data)
    {
        var error = ReadDib(data, out var width, out var height, out var bitsPerPixel, out var compression);
        if (error is not null)
        {
            return error;
        }

        const uint rgb = 0, bitFields = 3, alphaBitFields = 6;
        if (compression is not (rgb or bitFields or alphaBitFields))
        {
            return null;
        }

        if (bitsPerPixel is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
        {
            return ImageError.Corrupt(ImageFormat.Bmp, $"it declares {bitsPerPixel} bits per pixel");
        }

        // Rows are padded to four bytes. Checking the row length first keeps the product within a long.
        var rowLength = ((((long)width * bitsPerPixel) + 31) / 32) * 4;
        var pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        return rowLength > data.Length || pixelOffset + (rowLength * height) > data.Length
            ? ImageError.Truncated(ImageFormat.Bmp, $"its {width}x{height} pixel array does not fit in its {data.Length} bytes")
            : null;
    }

    private static ImageDecodeException? ReadDib(ReadOnlySpan<byte> data, out int width, out int height, out int bitsPerPixel, out uint compression)
    {
        width = 0;
        height = 0;
        bitsPerPixel = 0;
        compression = 0;
        var dibLength = BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeaderLength..]);
        if (data.Length < FileHeaderLength + (dibLength == CoreHeaderLength ? CoreHeaderLength : InfoHeaderLength))
        {
            return ImageError.Truncated(ImageFormat.Bmp, "it ends inside its header");
        }

        int declaredHeight;
        if (dibLength == CoreHeaderLength)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            declaredHeight = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[24..]);
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
            declaredHeight = BinaryPrimitives.ReadInt32LittleEndian(data[22..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        }

        // A negative height marks a top-down bitmap.
        if (width <= 0 || declaredHeight == 0 || declaredHeight == int.MinValue)
        {
            return ImageError.Corrupt(ImageFormat.Bmp, $"it declares an invalid size {width}x{declaredHeight}");
        }

        height = Math.Abs(declaredHeight);
        return null;
    }
}
