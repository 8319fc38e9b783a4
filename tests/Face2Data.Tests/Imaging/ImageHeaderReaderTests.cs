using System.Buffers.Binary;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Imaging;

public sealed class ImageHeaderReaderTests
{
    [Theory]
    [InlineData(".jpg", ImageFormat.Jpeg)]
    [InlineData(".png", ImageFormat.Png)]
    [InlineData(".gif", ImageFormat.Gif)]
    [InlineData(".bmp", ImageFormat.Bmp)]
    [InlineData(".webp", ImageFormat.Webp)]
    [InlineData(".tiff", ImageFormat.Tiff)]
    public void TryRead_reads_format_and_size_of_opencv_encoded_images(string extension, ImageFormat format)
    {
        var bytes = TestImages.Encode(37, 23, extension);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal(new ImageHeader(format, 37, 23), header);
        Assert.Equal(37L * 23, header.PixelCount);
    }

    [Theory]
    [InlineData(90, "VP8 ")]
    [InlineData(101, "VP8L")]
    public void TryRead_reads_lossy_and_lossless_webp(int quality, string chunk)
    {
        var bytes = TestImages.Encode(301, 7, ".webp", new ImageEncodingParam(ImwriteFlags.WebPQuality, quality));

        Assert.Equal(chunk, System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));
        Assert.Equal((301, 7), (header.Width, header.Height));
    }

    [Fact]
    public void TryRead_reads_extended_webp_canvas_size()
    {
        var bytes = ExtendedWebpHeader(5000, 3000);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal(new ImageHeader(ImageFormat.Webp, 5000, 3000), header);
    }

    [Fact]
    public void TryRead_reads_progressive_jpeg_frame()
    {
        var bytes = TestImages.Encode(45, 31, ".jpg", new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1));

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal((45, 31), (header.Width, header.Height));
    }

    [Fact]
    public void TryRead_skips_app_segments_by_length_even_when_they_contain_frame_markers()
    {
        // An APP2 payload that looks like SOF0 declaring 39321x39321, and an APP15 with a fake EOI inside.
        byte[] fakeFrame = [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x99, 0x99, 0x99, 0x99, 0x03, 0x01, 0x11, 0x00];
        var bytes = TestImages.Encode(40, 20, ".jpg");
        bytes = TestImages.InsertSegment(bytes, 0xE2, fakeFrame);
        bytes = TestImages.InsertSegment(bytes, 0xEF, [0xFF, 0xD9, 0xFF, 0xD9]);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal((40, 20), (header.Width, header.Height));
    }

    [Theory]
    [InlineData(ExifOrientation.Rotate90, true)]
    [InlineData(ExifOrientation.Rotate270, false)]
    [InlineData(ExifOrientation.Transverse, true)]
    [InlineData(ExifOrientation.FlipHorizontal, false)]
    public void TryRead_reads_exif_orientation_in_either_byte_order(ExifOrientation orientation, bool bigEndian)
    {
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(40, 20, ".jpg"), orientation, bigEndian);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal(orientation, header.Orientation);
        Assert.Equal(orientation is ExifOrientation.Rotate90 or ExifOrientation.Rotate270 or ExifOrientation.Transverse, header.SwapsAxes);
        Assert.Equal((40, 20), (header.Width, header.Height));
    }

    [Fact]
    public void TryRead_treats_an_out_of_range_orientation_as_normal()
    {
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(40, 20, ".jpg"), (ExifOrientation)9);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal(ExifOrientation.Normal, header.Orientation);
    }

    [Fact]
    public void TryRead_reads_a_huge_declared_png_size_from_the_header_alone()
    {
        var bytes = PngHeader(100_000, 100_000);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal(new ImageHeader(ImageFormat.Png, 100_000, 100_000), header);
        Assert.Equal(10_000_000_000L, header.PixelCount);
    }

    [Fact]
    public void TryRead_reads_top_down_bmp_height_as_positive()
    {
        var bytes = TestImages.Encode(9, 5, ".bmp");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), -5);

        Assert.True(ImageHeaderReader.TryRead(bytes, out var header));

        Assert.Equal((9, 5), (header.Width, header.Height));
    }

    [Fact]
    public void TryRead_refuses_empty_short_and_unrecognised_data()
    {
        Assert.False(ImageHeaderReader.TryRead([], out _));
        Assert.False(ImageHeaderReader.TryRead([0xFF], out _));
        Assert.False(ImageHeaderReader.TryRead("BMW is a car, not a bitmap."u8, out _));
        Assert.False(ImageHeaderReader.TryRead("<html><body>not an image</body></html>"u8, out _));
        Assert.False(ImageHeaderReader.TryRead(PngHeader(10, 10).AsSpan(0, 20), out _));
    }

    [Fact]
    public void TryDetectFormat_uses_signatures_only()
    {
        Assert.True(ImageHeaderReader.TryDetectFormat([0xFF, 0xD8, 0xFF], out var jpeg));
        Assert.Equal(ImageFormat.Jpeg, jpeg);
        Assert.True(ImageHeaderReader.TryDetectFormat("GIF89a"u8, out var gif));
        Assert.Equal(ImageFormat.Gif, gif);
        Assert.True(ImageHeaderReader.TryDetectFormat("MM\0*"u8, out var tiff));
        Assert.Equal(ImageFormat.Tiff, tiff);
        Assert.False(ImageHeaderReader.TryDetectFormat([0xFF, 0xD8], out _));
        Assert.False(ImageHeaderReader.TryDetectFormat("GIF90a"u8, out _));
    }

    /// <summary>A PNG signature and IHDR chunk declaring the given size, with no image data after it.</summary>
    internal static byte[] PngHeader(int width, int height)
    {
        var bytes = new byte[8 + 25];
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 2; // colour type RGB
        return bytes;
    }

    /// <summary>A RIFF/WEBP container whose only chunk is a VP8X header declaring the given canvas.</summary>
    internal static byte[] ExtendedWebpHeader(int width, int height)
    {
        var bytes = new byte[30];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 22);
        "WEBPVP8X"u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 10);
        WriteUInt24(bytes.AsSpan(24), width - 1);
        WriteUInt24(bytes.AsSpan(27), height - 1);
        return bytes;
    }

    private static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
