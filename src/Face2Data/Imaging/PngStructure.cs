using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Reads a PNG's IHDR chunk and walks its chunks to IEND. Each chunk is at least 12 bytes, so a walk ends within
/// the input's length. CRCs are left to libpng.
/// </summary>
internal static class PngStructure
{
    private const int SignatureLength = 8;
    private const int HeaderEnd = SignatureLength + 8 + 13;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (data.Length < HeaderEnd)
        {
            return ImageError.Truncated(ImageFormat.Png, "it ends inside its IHDR header");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return ImageError.Corrupt(ImageFormat.Png, "its first chunk is not a 13-byte IHDR");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            return ImageError.Corrupt(ImageFormat.Png, $"IHDR declares an invalid size {width}x{height}");
        }

        header = new ImageHeader(ImageFormat.Png, (int)width, (int)height);
        return null;
    }

    public static ImageDecodeException? CheckComplete(ReadOnlySpan<byte> data)
    {
        long position = SignatureLength;
        while (true)
        {
            if (position + 8 > data.Length)
            {
                return ImageError.Truncated(ImageFormat.Png, "it ends before its IEND chunk");
            }

            var chunk = data[(int)position..];
            var length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
            if (length > int.MaxValue)
            {
                return ImageError.Corrupt(ImageFormat.Png, $"a chunk at byte {position} declares {length} bytes");
            }

            var end = position + 12 + length;
            if (end > data.Length)
            {
                return ImageError.Truncated(ImageFormat.Png, "it ends inside a chunk, before its IEND chunk");
            }

            if (chunk.Slice(4, 4).SequenceEqual("IEND"u8))
            {
                return null;
            }

            position = end;
        }
    }
}
