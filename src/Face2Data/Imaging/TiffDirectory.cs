using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Reads one numeric tag from the first image file directory (IFD0) of a TIFF structure: a TIFF file, or the
/// EXIF block of a JPEG, which is laid out the same way. Every offset is bounds-checked.
/// </summary>
internal static class TiffDirectory
{
    private const int EntrySize = 12;
    private const ushort TypeShort = 3;
    private const ushort TypeLong = 4;

    /// <summary>Whether the data starts with a classic TIFF header ("II*\0" or "MM\0*").</summary>
    public static bool HasClassicSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 42 && data[3] == 0)
            || (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 42));

    /// <summary>Whether the data starts with a BigTIFF header ("II+\0" or "MM\0+").</summary>
    public static bool HasBigTiffSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 43 && data[3] == 0)
            || (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 43));

    /// <summary>
    /// Looks up a SHORT or LONG tag in IFD0. Returns null and sets <paramref name="value"/> (null when the tag is
    /// absent) when the directory could be read, else the error that stopped it.
    /// </summary>
    public static ImageDecodeException? ReadTag(ReadOnlySpan<byte> tiff, ushort tag, out uint? value)
    {
        value = null;
        if (tiff.Length < 8)
        {
            return ImageError.Truncated(ImageFormat.Tiff, "it ends inside its header");
        }

        if (!HasClassicSignature(tiff))
        {
            return ImageError.Corrupt(ImageFormat.Tiff, "the byte-order mark is invalid");
        }

        var bigEndian = tiff[0] == 'M';
        var directory = ReadUInt32(tiff[4..], bigEndian);
        if (directory < 8 || directory > tiff.Length - 2L)
        {
            return directory < 8
                ? ImageError.Corrupt(ImageFormat.Tiff, $"the first directory offset {directory} points into the header")
                : ImageError.Truncated(ImageFormat.Tiff, "it ends before its first directory");
        }

        var start = (int)directory;
        var count = ReadUInt16(tiff[start..], bigEndian);
        for (var i = 0; i < count; i++)
        {
            var entry = start + 2 + (i * EntrySize);
            if (entry + EntrySize > tiff.Length)
            {
                return ImageError.Truncated(ImageFormat.Tiff, "it ends inside its first directory");
            }

            if (ReadUInt16(tiff[entry..], bigEndian) != tag)
            {
                continue;
            }

            // A single SHORT or LONG sits left-justified in the 4-byte value field.
            var type = ReadUInt16(tiff[(entry + 2)..], bigEndian);
            var valueField = tiff.Slice(entry + 8, 4);
            value = type switch
            {
                TypeShort => ReadUInt16(valueField, bigEndian),
                TypeLong => ReadUInt32(valueField, bigEndian),
                _ => null,
            };
            return value is null
                ? ImageError.Corrupt(ImageFormat.Tiff, $"tag {tag} has type {type}, not SHORT or LONG")
                : null;
        }

        return null;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);
}
