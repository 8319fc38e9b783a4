using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Reads a GIF's logical screen and walks its blocks to the trailer (0x3B), as OpenCV's decoder also does before
/// decoding. Every frame must lie inside the logical screen, so the screen bounds the memory a decode uses.
/// </summary>
internal static class GifStructure
{
    private const int ScreenDescriptorEnd = 13;

    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8);

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (data.Length < ScreenDescriptorEnd)
        {
            return ImageError.Truncated(ImageFormat.Gif, "it ends inside its logical screen descriptor");
        }

        var width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        if (width == 0 || height == 0)
        {
            return ImageError.Corrupt(ImageFormat.Gif, $"its logical screen is {width}x{height}");
        }

        header = new ImageHeader(ImageFormat.Gif, width, height);
        return null;
    }

    public static ImageDecodeException? CheckComplete(ReadOnlySpan<byte> data)
    {
        var screenWidth = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var screenHeight = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        var position = ScreenDescriptorEnd + ColorTableLength(data[10]);
        var frames = 0;
        while (true)
        {
            if (position >= data.Length)
            {
                return ImageError.Truncated(ImageFormat.Gif, "it ends before its trailer");
            }

            var block = data[position++];
            switch (block)
            {
                case 0x21:
                    // Extension: a label byte, then data sub-blocks.
                    position = SkipSubBlocks(data, position + 1);
                    break;
                case 0x2C:
                    if (position + 9 > data.Length)
                    {
                        return ImageError.Truncated(ImageFormat.Gif, "it ends inside an image descriptor");
                    }

                    var left = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
                    var top = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
                    var width = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 4)..]);
                    var height = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 6)..]);
                    if (width == 0 || height == 0 || left + width > screenWidth || top + height > screenHeight)
                    {
                        return ImageError.Corrupt(ImageFormat.Gif, $"frame {frames + 1} ({width}x{height} at {left},{top}) lies outside the {screenWidth}x{screenHeight} logical screen");
                    }

                    position += 9 + ColorTableLength(data[position + 8]);
                    if (position >= data.Length)
                    {
                        return ImageError.Truncated(ImageFormat.Gif, "it ends before a frame's data");
                    }

                    var minimumCodeSize = data[position];
                    if (minimumCodeSize is < 2 or > 11)
                    {
                        return ImageError.Corrupt(ImageFormat.Gif, $"frame {frames + 1} has LZW code size {minimumCodeSize}");
                    }

                    position = SkipSubBlocks(data, position + 1);
                    frames++;
                    break;
                case 0x3B:
                    return frames == 0 ? ImageError.Corrupt(ImageFormat.Gif, "it holds no frame") : null;
                default:
                    return ImageError.Corrupt(ImageFormat.Gif, $"unexpected block 0x{block:X2} at byte {position - 1}");
            }
        }
    }

    // Flags with the table bit (0x80) set announce 2^(n+1) RGB entries, n being the low three bits.
    private static int ColorTableLength(byte flags) => (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);

    // Sub-blocks are a length byte and that many bytes, ended by a zero length. Returns the position after the
    // terminator, or data.Length when the data ends first (the caller then reports truncation).
    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int position)
    {
        while (position < data.Length)
        {
            var length = data[position++];
            if (length == 0)
            {
                return position;
            }

            position += length;
        }

        return data.Length;
    }
}
