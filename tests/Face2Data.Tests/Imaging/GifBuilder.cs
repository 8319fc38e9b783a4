namespace Face2Data.Tests.Imaging;

/// <summary>
/// Writes small GIF89a files by hand, frame by frame, with a 4-colour global palette. The LZW stream sends a
/// clear code before every pair of pixels, so all codes stay 3 bits wide and no dictionary entry is ever used:
/// large, but trivially correct.
/// </summary>
internal static class GifBuilder
{
    private const int ClearCode = 4;
    private const int EndCode = 5;
    private const int CodeWidth = 3;

    /// <summary>
    /// Builds a looping animation of full-screen frames. <paramref name="palette"/> holds 4 RGB colours;
    /// each frame holds width·height palette indices, row by row.
    /// </summary>
    public static byte[] Build(int width, int height, (byte R, byte G, byte B)[] palette, IReadOnlyList<byte[]> frames, int? transparentIndex = null)
    {
        var output = new List<byte>();
        output.AddRange("GIF89a"u8);
        output.AddRange([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8)]);
        output.AddRange([0x91, 0, 0]); // global table of 2^(1+1) colours, background index 0
        foreach (var (r, g, b) in palette)
        {
            output.AddRange([r, g, b]);
        }

        output.AddRange([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
        foreach (var frame in frames)
        {
            var transparency = transparentIndex is null ? (byte)0 : (byte)1;
            output.AddRange([0x21, 0xF9, 4, (byte)(0x04 | transparency), 10, 0, (byte)(transparentIndex ?? 0), 0]);
            output.AddRange([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
            output.Add(2); // LZW minimum code size
            var data = Compress(frame);
            for (var i = 0; i < data.Count; i += 255)
            {
                var length = Math.Min(255, data.Count - i);
                output.Add((byte)length);
                output.AddRange(data.GetRange(i, length));
            }

            output.Add(0);
        }

        output.Add(0x3B);
        return [.. output];
    }

    private static List<byte> Compress(byte[] indices)
    {
        var data = new List<byte>();
        var accumulator = 0;
        var count = 0;
        void Write(int code)
        {
            accumulator |= code << count;
            count += CodeWidth;
            while (count >= 8)
            {
                data.Add((byte)accumulator);
                accumulator >>= 8;
                count -= 8;
            }
        }

        for (var i = 0; i < indices.Length; i++)
        {
            if (i % 2 == 0)
            {
                Write(ClearCode);
            }

            Write(indices[i]);
        }

        Write(EndCode);
        if (count > 0)
        {
            data.Add((byte)accumulator);
        }

        return data;
    }
}
