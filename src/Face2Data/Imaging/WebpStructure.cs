using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Reads the canvas size from a WebP's first chunk (VP8, VP8L or VP8X); completeness means the RIFF container
/// holds as many bytes as its size field declares.
/// </summary>
internal static class WebpStructure
{
    private const int ChunkData = 20;

    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8);

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (data.Length < ChunkData)
        {
            return ImageError.Truncated(ImageFormat.Webp, "it ends before its first chunk");
        }

        var chunk = data.Slice(12, 4);
        int width;
        int height;
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
            if (data.Length < ChunkData + 10)
            {
                return ImageError.Truncated(ImageFormat.Webp, "it ends inside its VP8 frame header");
            }

            if (data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A)
            {
                return ImageError.Corrupt(ImageFormat.Webp, "its VP8 start code is missing");
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF;
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: the signature 0x2F, then width-1 and height-1 in 14 bits each.
            if (data.Length < ChunkData + 5)
            {
                return ImageError.Truncated(ImageFormat.Webp, "it ends inside its VP8L header");
            }

            if (data[ChunkData] != 0x2F)
            {
                return ImageError.Corrupt(ImageFormat.Webp, "its VP8L signature is missing");
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[(ChunkData + 1)..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
        }
        else if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: flags, 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each.
            if (data.Length < ChunkData + 10)
            {
                return ImageError.Truncated(ImageFormat.Webp, "it ends inside its VP8X header");
            }

            width = ReadUInt24(data[(ChunkData + 4)..]) + 1;
            height = ReadUInt24(data[(ChunkData + 7)..]) + 1;
        }
        else
        {
            return ImageError.Corrupt(ImageFormat.Webp, "its first chunk is not VP8, VP8L or VP8X");
        }

        if (width == 0 || height == 0)
        {
            return ImageError.Corrupt(ImageFormat.Webp, $"it declares an invalid size {width}x{height}");
        }

        header = new ImageHeader(ImageFormat.Webp, width, height);
        return null;
    }

    public static ImageDecodeException? CheckComplete(ReadOnlySpan<byte> data)
    {
        var riffLength = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        return 8L + riffLength > data.Length
            ? ImageError.Truncated(ImageFormat.Webp, $"its RIFF container declares {8L + riffLength} bytes, only {data.Length} are present")
            : null;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> data) => data[0] | (data[1] << 8) | (data[2] << 16);
}
