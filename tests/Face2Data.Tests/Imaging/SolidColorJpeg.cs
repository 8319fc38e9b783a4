namespace Face2Data.Tests.Imaging;

/// <summary>
/// A minimal baseline JPEG encoder for solid-colour images with any number of components, so tests can make
/// CMYK JPEGs, which OpenCV cannot write. A constant 8×8 block has only a DC coefficient: with a quantisation
/// table of ones it is 8·(sample − 128), and every AC run is a single end-of-block code. Components are not
/// subsampled, so each MCU holds one block per component.
/// </summary>
internal static class SolidColorJpeg
{
    // Annex K luminance DC table (categories 0–11); a one-code AC table holding only end-of-block (0x00).
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] AcCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] AcSymbols = [0];

    /// <summary>
    /// Encodes a <paramref name="width"/>×<paramref name="height"/> image whose every pixel has
    /// <paramref name="samples"/> (one per component, as stored). With four components and
    /// <paramref name="adobe"/> it writes an Adobe APP14 marker (transform 0: plain CMYK, stored inverted).
    /// </summary>
    public static byte[] Encode(int width, int height, byte[] samples, bool adobe)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        if (adobe)
        {
            Segment(output, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]);
        }

        var quantisation = new byte[65];
        Array.Fill(quantisation, (byte)1);
        quantisation[0] = 0;
        Segment(output, 0xDB, quantisation);

        var components = samples.Length;
        var frame = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (var c = 0; c < components; c++)
        {
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        }

        Segment(output, 0xC0, [.. frame]);
        Segment(output, 0xC4, [0x00, .. DcCounts, .. DcSymbols]);
        Segment(output, 0xC4, [0x10, .. AcCounts, .. AcSymbols]);
        var scan = new List<byte> { (byte)components };
        for (var c = 0; c < components; c++)
        {
            scan.AddRange([(byte)(c + 1), 0x00]);
        }

        scan.AddRange([0, 63, 0]);
        Segment(output, 0xDA, [.. scan]);

        var dcCodes = CanonicalCodes(DcCounts, DcSymbols);
        var bits = new BitWriter(output);
        var predictions = new int[components];
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);
        for (var block = 0; block < blocks; block++)
        {
            for (var c = 0; c < components; c++)
            {
                var dc = 8 * (samples[c] - 128);
                var difference = dc - predictions[c];
                predictions[c] = dc;
                var category = 0;
                while ((1 << category) <= Math.Abs(difference))
                {
                    category++;
                }

                bits.Write(dcCodes[category].Code, dcCodes[category].Length);
                if (category > 0)
                {
                    bits.Write(difference > 0 ? difference : difference + (1 << category) - 1, category);
                }

                bits.Write(0, 1);
            }
        }

        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    private static void Segment(List<byte> output, byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        output.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.AddRange(payload);
    }

    private static (int Code, int Length)[] CanonicalCodes(byte[] counts, byte[] symbols)
    {
        var codes = new (int Code, int Length)[symbols.Max() + 1];
        var code = 0;
        var index = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++)
            {
                codes[symbols[index++]] = (code++, length);
            }

            code <<= 1;
        }

        return codes;
    }

    // Most significant bit first, a 0x00 stuffed after every 0xFF, the last byte padded with ones.
    private sealed class BitWriter(List<byte> output)
    {
        private int _accumulator;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _accumulator = (_accumulator << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    output.Add((byte)_accumulator);
                    if (_accumulator == 0xFF)
                    {
                        output.Add(0);
                    }

                    _accumulator = 0;
                    _count = 0;
                }
            }
        }

        public void Flush()
        {
            if (_count > 0)
            {
                Write((1 << (8 - _count)) - 1, 8 - _count);
            }
        }
    }
}
