using Face2Data.Detection;
using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Imaging;

public sealed class ReducedDecodeTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData(1280, 720, 960, 1)] // 640 < 960: no reduction
    [InlineData(1920, 1080, 960, 2)]
    [InlineData(1918, 1080, 960, 1)] // 959 even after rounding up
    [InlineData(4000, 3000, 960, 4)]
    [InlineData(3000, 4000, 960, 4)] // the longer side counts, whichever it is
    [InlineData(8000, 6000, 960, 8)]
    [InlineData(20000, 100, 960, 8)] // never beyond 1/8
    [InlineData(200, 200, 960, 1)]
    [InlineData(1281, 720, 640, 2)] // ceil(1281 / 2) = 641
    public void ReductionFactor_is_the_largest_that_keeps_the_side(int width, int height, int keepSide, int expected)
    {
        Assert.Equal(expected, ImageDecoder.ReductionFactor(width, height, keepSide));
    }

    [Fact]
    public void DecodeReduced_decodes_a_jpeg_at_the_chosen_scale_and_knows_the_full_size()
    {
        var bytes = TestImages.Encode(1600, 1000, ".jpg");

        using var reduced = _decoder.DecodeReduced(bytes, 400);

        Assert.Equal(4, reduced.Factor);
        Assert.Equal((1600, 1000), (reduced.FullWidth, reduced.FullHeight));
        TestImages.AssertBgr(reduced.Image, 400, 250);
        TestImages.AssertPixel(reduced.Image, 100, 50, TestImages.Red, tolerance: 40);
        TestImages.AssertPixel(reduced.Image, 100, 350, TestImages.Blue, tolerance: 40);
    }

    [Fact]
    public void DecodeReduced_applies_exif_orientation_and_reports_the_upright_size()
    {
        var bytes = TestImages.WithExifOrientation(TestImages.Encode(1600, 1000, ".jpg"), ExifOrientation.Rotate90);

        using var reduced = _decoder.DecodeReduced(bytes, 400);

        Assert.Equal(4, reduced.Factor);
        Assert.Equal((1000, 1600), (reduced.FullWidth, reduced.FullHeight));
        TestImages.AssertBgr(reduced.Image, 250, 400);
        TestImages.AssertPixel(reduced.Image, 50, 100, TestImages.Red, tolerance: 40);
    }

    [Fact]
    public void DecodeReduced_keeps_other_formats_at_full_size()
    {
        using var reduced = _decoder.DecodeReduced(TestImages.Encode(640, 480, ".png"), 100);

        Assert.Equal(1, reduced.Factor);
        TestImages.AssertBgr(reduced.Image, 640, 480);
    }

    [Fact]
    public void DecodeReduced_checks_the_image_like_Decode()
    {
        var truncated = TestImages.Encode(640, 480, ".jpg")[..400];

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.DecodeReduced(truncated, 100));

        Assert.Equal(ImageErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public void ToFullResolution_scales_boxes_by_the_factor_and_clamps_them_to_the_image()
    {
        using var reduced = new ReducedImage(new Mat(), 4, 1281, 722);

        Assert.Equal(new FaceBox(40, 80, 400, 200), reduced.ToFullResolution(new FaceBox(10, 20, 100, 50)));
        // The last decoded column and row cover only the image's last pixel (1281 = 4 × 320 + 1).
        Assert.Equal(new FaceBox(1200, 680, 81, 42), reduced.ToFullResolution(new FaceBox(300, 170, 21, 11)));
    }

    [Fact]
    public void Factors_other_than_powers_of_two_up_to_eight_are_refused()
    {
        using var image = new Mat();

        Assert.Throws<ArgumentOutOfRangeException>(() => new ReducedImage(image, 3, 10, 10));
    }
}
