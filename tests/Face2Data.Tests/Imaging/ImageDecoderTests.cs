using System.Buffers.Binary;
using System.Diagnostics;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData(".png", 0)]
    [InlineData(".bmp", 0)]
    [InlineData(".tiff", 0)]
    [InlineData(".gif", 8)] // OpenCV's GIF encoder quantises colours to its palette
    [InlineData(".jpg", 40)]
    [InlineData(".webp", 40)]
    public void Decode_returns_bgr_pixels_of_every_format(string extension, int tolerance)
    {
        var bytes = TestImages.Encode(40, 20, extension);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 40, 20);
        TestImages.AssertPixel(image, 10, 5, TestImages.Red, tolerance);
        TestImages.AssertPixel(image, 10, 34, TestImages.Blue, tolerance);
    }

    [Fact]
    public void Decode_returns_lossless_webp_exactly()
    {
        using var original = TestImages.Quadrants(33, 17);
        var bytes = TestImages.Encode(original, ".webp", new ImageEncodingParam(ImwriteFlags.WebPQuality, 101));

        using var image = _decoder.Decode(bytes);

        Assert.Equal(0, TestImages.MaxDifference(original, image));
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void Decode_turns_grayscale_into_three_equal_channels(string extension)
    {
        using var gray = new Mat(8, 8, MatType.CV_8UC1, new Scalar(77));
        var bytes = TestImages.Encode(gray, extension);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 8, 8);
        TestImages.AssertPixel(image, 3, 3, new Vec3b(77, 77, 77));
    }

    [Fact]
    public void Decode_scales_16_bit_png_samples_by_1_over_257_with_rounding()
    {
        // 255 and 511 are where dropping the low byte (0, 1) and scaling (1, 2) differ.
        ushort[] samples = [255, 511, 40_000, 65_535];
        using var deep = new Mat(1, samples.Length, MatType.CV_16UC3);
        for (var i = 0; i < samples.Length; i++)
        {
            deep.Set(0, i, new Vec3w(samples[i], 0, 65_535));
        }

        using var image = _decoder.Decode(TestImages.Encode(deep, ".png"));

        TestImages.AssertBgr(image, samples.Length, 1);
        for (var i = 0; i < samples.Length; i++)
        {
            var expected = (byte)Math.Round(samples[i] / 257.0);
            TestImages.AssertPixel(image, 0, i, new Vec3b(expected, 0, 255));
        }
    }

    [Fact]
    public void Decode_scales_16_bit_grayscale_png_into_three_equal_channels()
    {
        using var deep = new Mat(2, 2, MatType.CV_16UC1, new Scalar(40_000));

        using var image = _decoder.Decode(TestImages.Encode(deep, ".png"));

        TestImages.AssertBgr(image, 2, 2);
        TestImages.AssertPixel(image, 1, 1, new Vec3b(156, 156, 156));
    }

    [Fact]
    public void Decode_refuses_floating_point_tiff_as_unsupported()
    {
        using var floats = new Mat(4, 4, MatType.CV_32FC3, Scalar.All(0.5));

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(TestImages.Encode(floats, ".tiff")));

        Assert.Equal(ImageErrorKind.Unsupported, error.Kind);
        Assert.Contains("CV_32FC3", error.Message);
    }

    [Fact]
    public void Decode_composites_rgba_png_over_white()
    {
        byte[] alphas = [0, 64, 128, 255];
        using var rgba = new Mat(1, alphas.Length, MatType.CV_8UC4);
        for (var i = 0; i < alphas.Length; i++)
        {
            rgba.Set(0, i, new Vec4b(10, 100, 200, alphas[i]));
        }

        using var image = _decoder.Decode(TestImages.Encode(rgba, ".png"));

        TestImages.AssertBgr(image, alphas.Length, 1);
        TestImages.AssertPixel(image, 0, 0, TestImages.White);
        TestImages.AssertPixel(image, 0, 3, new Vec3b(10, 100, 200));
        for (var i = 1; i < alphas.Length - 1; i++)
        {
            var a = alphas[i] / 255.0;
            var expected = new Vec3b((byte)Math.Round((10 * a) + (255 * (1 - a))), (byte)Math.Round((100 * a) + (255 * (1 - a))), (byte)Math.Round((200 * a) + (255 * (1 - a))));
            TestImages.AssertPixel(image, 0, i, expected, tolerance: 1);
        }
    }

    [Theory]
    [InlineData(".bmp")]
    [InlineData(".tiff")]
    [InlineData(".webp")]
    public void Decode_composites_alpha_of_other_formats_over_white(string extension)
    {
        using var rgba = new Mat(1, 2, MatType.CV_8UC4);
        rgba.Set(0, 0, new Vec4b(255, 0, 0, 255));
        rgba.Set(0, 1, new Vec4b(255, 0, 0, 0));
        var bytes = TestImages.Encode(rgba, extension, new ImageEncodingParam(ImwriteFlags.WebPQuality, 101));

        using var image = _decoder.Decode(bytes);

        TestImages.AssertPixel(image, 0, 0, TestImages.Blue);
        TestImages.AssertPixel(image, 0, 1, TestImages.White);
    }

    [Fact]
    public void Decode_treats_the_fourth_byte_of_a_32_bit_rgb_bmp_as_padding_not_alpha()
    {
        // BI_RGB 32-bit bitmaps usually leave the fourth byte 0; reading it as alpha would turn them white.
        var bytes = new byte[54 + 16];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 32);
        for (var i = 0; i < 4; i++)
        {
            bytes[54 + (4 * i)] = 10;
            bytes[55 + (4 * i)] = 20;
            bytes[56 + (4 * i)] = 30;
        }

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 2, 2);
        TestImages.AssertPixel(image, 1, 1, new Vec3b(10, 20, 30));
    }

    [Fact]
    public void Decode_composites_16_bit_rgba_png_over_white()
    {
        using var rgba = new Mat(1, 2, MatType.CV_16UC4);
        rgba.Set(0, 0, new Vec4w(0, 0, 65_535, 65_535));
        rgba.Set(0, 1, new Vec4w(0, 0, 65_535, 0));

        using var image = _decoder.Decode(TestImages.Encode(rgba, ".png"));

        TestImages.AssertBgr(image, 2, 1);
        TestImages.AssertPixel(image, 0, 0, TestImages.Red);
        TestImages.AssertPixel(image, 0, 1, TestImages.White);
    }

    // Ink amounts C, M, Y, K (255 = full ink); the file stores them inverted, as Adobe applications write CMYK.
    [Theory]
    [InlineData(0, 255, 255, 0, 0, 0, 255)]
    [InlineData(255, 0, 255, 0, 0, 255, 0)]
    [InlineData(255, 255, 0, 0, 255, 0, 0)]
    [InlineData(0, 0, 0, 0, 255, 255, 255)]
    [InlineData(0, 0, 0, 255, 0, 0, 0)]
    [InlineData(0, 0, 0, 128, 127, 127, 127)]
    public void Decode_converts_adobe_cmyk_jpeg_to_the_right_colour(int c, int m, int y, int k, byte blue, byte green, byte red)
    {
        byte[] stored = [(byte)(255 - c), (byte)(255 - m), (byte)(255 - y), (byte)(255 - k)];
        var bytes = SolidColorJpeg.Encode(16, 16, stored, adobe: true);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 16, 16);
        TestImages.AssertPixel(image, 0, 0, new Vec3b(blue, green, red), tolerance: 2);
        TestImages.AssertPixel(image, 15, 15, new Vec3b(blue, green, red), tolerance: 2);
    }

    [Fact]
    public void Solid_colour_jpeg_encoder_round_trips_gray_and_ycbcr_exactly()
    {
        // Checks the test's own encoder against OpenCV on components that need no colour conversion.
        using var gray = Cv2.ImDecode(SolidColorJpeg.Encode(20, 12, [77], adobe: false), ImreadModes.Unchanged);
        using var ycc = Cv2.ImDecode(SolidColorJpeg.Encode(20, 12, [100, 128, 128], adobe: false), ImreadModes.Unchanged);

        Assert.Equal((MatType.CV_8UC1, 20, 12, (byte)77), (gray.Type(), gray.Width, gray.Height, gray.Get<byte>(11, 19)));
        Assert.Equal(new Vec3b(100, 100, 100), ycc.Get<Vec3b>(11, 19));
    }

    [Fact]
    public void Decode_rotates_exif_orientation_6_jpeg_clockwise()
    {
        // Stored 40x20, red left / blue right; turned a quarter clockwise the left (red) half is on top.
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(40, 20, ".jpg"), ExifOrientation.Rotate90);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 20, 40);
        TestImages.AssertPixel(image, 5, 10, TestImages.Red, tolerance: 40);
        TestImages.AssertPixel(image, 34, 10, TestImages.Blue, tolerance: 40);
    }

    [Theory]
    [InlineData(ExifOrientation.Normal)]
    [InlineData(ExifOrientation.FlipHorizontal)]
    [InlineData(ExifOrientation.Rotate180)]
    [InlineData(ExifOrientation.FlipVertical)]
    [InlineData(ExifOrientation.Transpose)]
    [InlineData(ExifOrientation.Rotate90)]
    [InlineData(ExifOrientation.Transverse)]
    [InlineData(ExifOrientation.Rotate270)]
    public void Decode_applies_every_exif_orientation_as_opencv_does(ExifOrientation orientation)
    {
        using var original = TestImages.Quadrants(48, 32);
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(original, ".jpg"), orientation);
        using var expected = Cv2.ImDecode(bytes, ImreadModes.Color); // OpenCV applies EXIF orientation in this mode

        using var image = _decoder.Decode(bytes);

        var swapped = orientation >= ExifOrientation.Transpose;
        TestImages.AssertBgr(image, swapped ? 32 : 48, swapped ? 48 : 32);
        Assert.Equal(0, TestImages.MaxDifference(expected, image));
    }

    [Fact]
    public void Decode_returns_the_first_frame_of_an_animated_gif()
    {
        (byte, byte, byte)[] palette = [(255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)];
        var first = new byte[6 * 4];
        for (var i = 0; i < first.Length; i++)
        {
            first[i] = (byte)(i % 6 < 3 ? 0 : 1); // red left half, blue right half
        }

        var second = Enumerable.Repeat((byte)2, 6 * 4).ToArray(); // all green
        var bytes = GifBuilder.Build(6, 4, palette, [first, second]);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 6, 4);
        for (var row = 0; row < 4; row++)
        {
            for (var column = 0; column < 6; column++)
            {
                TestImages.AssertPixel(image, row, column, column < 3 ? TestImages.Red : TestImages.Blue);
            }
        }
    }

    [Fact]
    public void Decode_composites_transparent_gif_pixels_over_white()
    {
        (byte, byte, byte)[] palette = [(0, 0, 0), (255, 0, 0), (0, 0, 255), (0, 255, 0)];
        byte[] frame = [0, 1, 0, 1]; // index 0 is transparent
        var bytes = GifBuilder.Build(2, 2, palette, [frame], transparentIndex: 0);

        using var image = _decoder.Decode(bytes);

        TestImages.AssertPixel(image, 0, 0, TestImages.White);
        TestImages.AssertPixel(image, 0, 1, TestImages.Red);
    }

    [Fact]
    public void Decode_with_max_decode_side_reduces_large_jpegs_in_the_decoder()
    {
        var bytes = TestImages.Encode(64, 48, ".jpg");

        using var full = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 64 }).Decode(bytes);
        using var half = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 32 }).Decode(bytes);
        using var quarter = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 20 }).Decode(bytes);
        using var eighth = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 1 }).Decode(bytes);
        using var png = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 20 }).Decode(TestImages.Encode(64, 48, ".png"));

        TestImages.AssertBgr(full, 64, 48);
        TestImages.AssertBgr(half, 32, 24);
        TestImages.AssertBgr(quarter, 16, 12);
        TestImages.AssertBgr(eighth, 8, 6);
        TestImages.AssertBgr(png, 64, 48);
        TestImages.AssertPixel(quarter, 6, 2, TestImages.Red, tolerance: 40);
        TestImages.AssertPixel(quarter, 6, 13, TestImages.Blue, tolerance: 40);
    }

    [Fact]
    public void Decode_with_max_decode_side_still_applies_exif_orientation()
    {
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(64, 48, ".jpg"), ExifOrientation.Rotate90);

        using var image = new ImageDecoder(new ImageDecodeOptions { MaxDecodeSide = 20 }).Decode(bytes);

        TestImages.AssertBgr(image, 12, 16);
        TestImages.AssertPixel(image, 2, 6, TestImages.Red, tolerance: 40);
    }

    [Fact]
    public void Decode_refuses_empty_input()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode([]));

        Assert.Equal(ImageErrorKind.Empty, error.Kind);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    public void Decode_refuses_short_input_as_not_an_image(byte[] bytes)
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.NotAnImage, error.Kind);
    }

    [Fact]
    public void Decode_refuses_text_as_not_an_image()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode("{\"image\": \"/9j/4AAQSkZJRg==\"}"u8));

        Assert.Equal(ImageErrorKind.NotAnImage, error.Kind);
        Assert.Contains("JPEG, PNG, GIF, BMP, WebP or TIFF", error.Message);
    }

    [Fact]
    public void Decode_refuses_random_bytes_after_a_jpeg_signature_as_corrupt()
    {
        // A valid SOI and APP0 frame, then noise where the next marker should be.
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        byte[] start = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        start.CopyTo(bytes, 0);
        bytes[20] = 0x00; // not a marker

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
        Assert.Contains("byte 20", error.Message);
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".gif")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void Decode_refuses_an_image_cut_in_half_as_truncated(string extension)
    {
        using var image = new Mat(64, 96, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        var bytes = TestImages.Encode(image, extension);

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsSpan(0, bytes.Length / 2)));

        Assert.Equal(ImageErrorKind.Truncated, error.Kind);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Decode_refuses_a_progressive_jpeg_cut_in_half_as_truncated()
    {
        using var image = new Mat(64, 96, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        var bytes = TestImages.Encode(image, ".jpg", new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1));

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsSpan(0, bytes.Length / 2)));

        Assert.Equal(ImageErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public void Decode_refuses_a_jpeg_missing_only_its_eoi_marker_as_truncated()
    {
        var bytes = TestImages.Encode(40, 20, ".jpg");

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsSpan(0, bytes.Length - 2)));

        Assert.Equal(ImageErrorKind.Truncated, error.Kind);
        Assert.Contains("EOI", error.Message);
    }

    [Fact]
    public void Decode_refuses_a_png_missing_only_its_iend_chunk_as_truncated()
    {
        var bytes = TestImages.Encode(40, 20, ".png");

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsSpan(0, bytes.Length - 12)));

        Assert.Equal(ImageErrorKind.Truncated, error.Kind);
        Assert.Contains("IEND", error.Message);
    }

    [Fact]
    public void Decode_accepts_data_after_the_jpeg_eoi_marker()
    {
        byte[] bytes = [.. TestImages.Encode(40, 20, ".jpg"), .. "trailing data"u8];

        using var image = _decoder.Decode(bytes);

        TestImages.AssertBgr(image, 40, 20);
    }

    [Fact]
    public void Decode_refuses_a_png_declaring_10_gigapixels_at_once_without_allocating()
    {
        var bytes = ImageHeaderReaderTests.PngHeader(100_000, 100_000);
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes)); // warm up (JIT) before measuring

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Contains("100000x100000", error.Message);
        Assert.True(watch.ElapsedMilliseconds < 500, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(allocated < 100_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Decode_refuses_a_jpeg_whose_frame_declares_too_many_pixels()
    {
        var bytes = TestImages.Encode(40, 20, ".jpg");
        var frame = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(frame + 5), 65_000);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(frame + 7), 65_000);

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public void Decode_refuses_a_webp_whose_canvas_declares_too_many_pixels()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ImageHeaderReaderTests.ExtendedWebpHeader(16_384, 16_384)));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public void Decode_applies_max_pixels_from_the_options()
    {
        var bytes = TestImages.Encode(64, 64, ".png");

        using var atLimit = new ImageDecoder(new ImageDecodeOptions { MaxPixels = 4096 }).Decode(bytes);
        var error = Assert.Throws<ImageDecodeException>(() => new ImageDecoder(new ImageDecodeOptions { MaxPixels = 4095 }).Decode(bytes));

        TestImages.AssertBgr(atLimit, 64, 64);
        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public void Decode_refuses_more_bytes_than_max_bytes()
    {
        var bytes = TestImages.Encode(64, 64, ".png");
        var decoder = new ImageDecoder(new ImageDecodeOptions { MaxBytes = bytes.Length - 1 });

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.TooManyBytes, error.Kind);
    }

    [Fact]
    public void Decode_refuses_hierarchical_jpeg_as_unsupported()
    {
        var bytes = TestImages.Encode(40, 20, ".jpg");
        bytes[bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 1] = 0xC5;

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.Unsupported, error.Kind);
        Assert.Contains("hierarchical", error.Message);
    }

    [Fact]
    public void Decode_refuses_a_tiff_whose_strips_are_far_larger_than_its_image()
    {
        // OpenCV sizes its strip buffer as width × RowsPerStrip, whatever the image height.
        var bytes = TestImages.Encode(16, 16, ".tiff");
        var decoder = new ImageDecoder(new ImageDecodeOptions { MaxPixels = 100_000 });
        using var valid = decoder.Decode(bytes);
        SetTiffTag(bytes, 278, 1 << 24);

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bytes));

        TestImages.AssertBgr(valid, 16, 16);
        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Contains("strips or tiles", error.Message);
    }

    [Fact]
    public void Decode_refuses_a_jpeg_with_two_components_as_unsupported()
    {
        var bytes = SolidColorJpeg.Encode(8, 8, [10, 20], adobe: false);

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.Unsupported, error.Kind);
        Assert.Contains("2 colour components", error.Message);
    }

    [Fact]
    public void Decode_refuses_bigtiff_as_unsupported()
    {
        byte[] bytes = [(byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.Unsupported, error.Kind);
    }

    [Fact]
    public void Decode_refuses_a_gif_frame_outside_its_logical_screen_as_corrupt()
    {
        (byte, byte, byte)[] palette = [(255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)];
        var bytes = GifBuilder.Build(4, 4, palette, [new byte[16]]);
        bytes[6] = 2; // the logical screen shrinks to 2x4, the frame stays 4x4

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
        Assert.Contains("outside", error.Message);
    }

    [Fact]
    public void Decode_refuses_a_jpeg_with_thousands_of_scans()
    {
        var bytes = TestImages.Encode(8, 8, ".jpg");
        var scan = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        var extra = new List<byte>();
        for (var i = 0; i < 1000; i++)
        {
            extra.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12]);
        }

        byte[] crafted = [.. bytes.AsSpan(0, scan), .. extra, .. bytes.AsSpan(scan)];

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(crafted));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
        Assert.Contains("scans", error.Message);
    }

    [Fact]
    public void Validate_returns_the_header_without_decoding()
    {
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(40, 20, ".jpg"), ExifOrientation.Rotate270);

        var header = _decoder.Validate(bytes);

        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 40, 20, ExifOrientation.Rotate270), header);
    }

    // Sets a tag of the first directory of a little-endian TIFF to one LONG value.
    private static void SetTiffTag(byte[] tiff, ushort tag, uint value)
    {
        Assert.Equal((byte)'I', tiff[0]);
        var directory = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory));
        for (var i = 0; i < count; i++)
        {
            var entry = tiff.AsSpan(directory + 2 + (12 * i), 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == tag)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], 4);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
                return;
            }
        }

        Assert.Fail($"tag {tag} not found");
    }

    [Theory]
    [InlineData(0, 1L, null)]
    [InlineData(1, 0L, null)]
    [InlineData(1, 1L, 0)]
    public void Constructor_refuses_non_positive_limits(int maxBytes, long maxPixels, int? maxDecodeSide)
    {
        var options = new ImageDecodeOptions { MaxBytes = maxBytes, MaxPixels = maxPixels, MaxDecodeSide = maxDecodeSide };

        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecoder(options));
    }
}
