using System.Buffers.Binary;

namespace Face2Data.Imaging;

/// <summary>
/// Walks a JPEG's marker segments. The header is the first frame header (SOFn) plus the EXIF orientation found
/// before the first scan; completeness means every scan is followed by markers up to the EOI marker (0xFFD9).
/// Each step moves forward at least two bytes, so a walk ends within the input's length.
/// </summary>
internal static class JpegStructure
{
    // Real progressive JPEGs have about ten scans; thousands are a known way to make decoders spin.
    private const int MaxScans = 1000;
    private const byte ExifApp1 = 0xE1;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;
    private const ushort OrientationTag = 0x0112;

    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static ImageDecodeException? ReadHeader(ReadOnlySpan<byte> data, out ImageHeader header) =>
        Walk(data, toEnd: false, out header);

    public static ImageDecodeException? CheckComplete(ReadOnlySpan<byte> data) =>
        Walk(data, toEnd: true, out _);

    private static ImageDecodeException? Walk(ReadOnlySpan<byte> data, bool toEnd, out ImageHeader header)
    {
        header = default;
        var width = 0;
        var height = 0;
        var orientation = (ExifOrientation?)null;
        var scans = 0;
        var position = 2;
        while (true)
        {
            if (position >= data.Length)
            {
                return ImageError.Truncated(ImageFormat.Jpeg, width == 0 ? "it ends before its frame header" : "it ends without an EOI marker");
            }

            if (data[position] != 0xFF)
            {
                return ImageError.Corrupt(ImageFormat.Jpeg, $"expected a marker at byte {position}");
            }

            // Any number of 0xFF fill bytes may precede a marker code.
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return ImageError.Truncated(ImageFormat.Jpeg, "it ends inside a marker");
            }

            var marker = data[position++];
            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD7)
            {
                continue;
            }

            if (marker == EndOfImage)
            {
                if (width == 0)
                {
                    return ImageError.Corrupt(ImageFormat.Jpeg, "it ends (EOI) before any frame header");
                }

                header = new ImageHeader(ImageFormat.Jpeg, width, height, orientation ?? ExifOrientation.Normal);
                return null;
            }

            if (marker is 0x00 or 0xD8)
            {
                return ImageError.Corrupt(ImageFormat.Jpeg, $"invalid marker 0xFF{marker:X2} at byte {position - 1}");
            }

            if (position + 2 > data.Length)
            {
                return ImageError.Truncated(ImageFormat.Jpeg, "it ends inside a segment length");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2)
            {
                return ImageError.Corrupt(ImageFormat.Jpeg, $"segment 0xFF{marker:X2} at byte {position - 2} has length {length}");
            }

            if (position + length > data.Length)
            {
                return ImageError.Truncated(ImageFormat.Jpeg, $"it ends inside segment 0xFF{marker:X2}");
            }

            var payload = data.Slice(position + 2, length - 2);
            position += length;
            if (IsStartOfFrame(marker))
            {
                if (width != 0)
                {
                    return ImageError.Unsupported(ImageFormat.Jpeg, "more than one frame (hierarchical JPEG)");
                }

                var error = ReadFrame(marker, payload, out width, out height);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (marker == ExifApp1 && orientation is null)
            {
                orientation = ReadOrientation(payload);
            }
            else if (marker == StartOfScan)
            {
                if (width == 0)
                {
                    return ImageError.Corrupt(ImageFormat.Jpeg, "a scan starts before the frame header");
                }

                if (!toEnd)
                {
                    header = new ImageHeader(ImageFormat.Jpeg, width, height, orientation ?? ExifOrientation.Normal);
                    return null;
                }

                if (++scans > MaxScans)
                {
                    return ImageError.Corrupt(ImageFormat.Jpeg, $"it has more than {MaxScans} scans");
                }

                position = SkipEntropyCodedData(data, position);
                if (position < 0)
                {
                    return ImageError.Truncated(ImageFormat.Jpeg, "it ends inside scan data, without an EOI marker");
                }
            }
        }
    }

    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageDecodeException? ReadFrame(byte marker, ReadOnlySpan<byte> payload, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (marker is 0xC5 or 0xC6 or 0xC7 or 0xCD or 0xCE or 0xCF)
        {
            return ImageError.Unsupported(ImageFormat.Jpeg, $"hierarchical coding (SOF{marker - 0xC0})");
        }

        if (payload.Length < 6)
        {
            return ImageError.Corrupt(ImageFormat.Jpeg, "its frame header is too short");
        }

        // Gray, YCbCr/RGB and CMYK/YCCK are what OpenCV turns into BGR; more components would only cost memory.
        if (payload[5] is not (1 or 3 or 4))
        {
            return ImageError.Unsupported(ImageFormat.Jpeg, $"{payload[5]} colour components");
        }

        var declaredHeight = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
        var declaredWidth = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
        if (declaredWidth == 0)
        {
            return ImageError.Corrupt(ImageFormat.Jpeg, "its frame header declares a width of 0");
        }

        if (declaredHeight == 0)
        {
            return ImageError.Unsupported(ImageFormat.Jpeg, "the height is deferred to a DNL marker");
        }

        width = declaredWidth;
        height = declaredHeight;
        return null;
    }

    // An APP1 segment holds EXIF when it starts with "Exif\0\0"; a missing or malformed tag means upright,
    // as browsers treat it.
    private static ExifOrientation? ReadOrientation(ReadOnlySpan<byte> app1)
    {
        if (!app1.StartsWith("Exif\0\0"u8))
        {
            return null;
        }

        var error = TiffDirectory.ReadTag(app1[6..], OrientationTag, out var value);
        return error is null && value is >= 1 and <= 8 ? (ExifOrientation)value.Value : ExifOrientation.Normal;
    }

    // Entropy-coded data runs to the next marker: 0xFF followed by anything but a stuffed 0x00, a restart
    // marker (D0–D7) or another fill 0xFF. Returns the marker's position, or -1 when the data ends first.
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            var next = data[position..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return -1;
            }

            position += next;
            if (position + 1 >= data.Length)
            {
                return -1;
            }

            var code = data[position + 1];
            if (code == 0x00 || code is >= 0xD0 and <= 0xD7)
            {
                position += 2;
            }
            else if (code == 0xFF)
            {
                position++;
            }
            else
            {
                return position;
            }
        }
    }
}
