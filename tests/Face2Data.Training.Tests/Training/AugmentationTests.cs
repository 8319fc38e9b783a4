using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public class AugmentationTests
{
    [Fact]
    public void Augmented_batch_keeps_shape_and_value_range()
    {
        torch.manual_seed(3);
        using var images = torch.rand(8, 3, 24, 24) * 4 - 2;
        using var augmented = Augmentation.Apply(images, new AugmentationOptions());
        Assert.Equal(images.shape, augmented.shape);
        // Bilinear resampling with border fill and zero cutout never leave the input's range.
        Assert.True(augmented.min().item<float>() >= -2.0001f);
        Assert.True(augmented.max().item<float>() <= 2.0001f);
        Assert.False(Same(images, augmented));
    }

    [Fact]
    public void None_returns_the_images_unchanged()
    {
        using var images = torch.rand(2, 3, 8, 8);
        using var augmented = Augmentation.Apply(images, AugmentationOptions.None);
        Assert.True(Same(images, augmented));
    }

    [Fact]
    public void Flip_alone_mirrors_each_image_or_leaves_it()
    {
        torch.manual_seed(5);
        using var images = torch.rand(16, 3, 6, 6);
        using var augmented = Augmentation.Apply(images, AugmentationOptions.None with { Flip = true });
        var flipped = 0;
        for (var i = 0; i < 16; i++)
        {
            var same = Same(images[i], augmented[i]);
            var mirrored = Same(images[i].flip(2), augmented[i]);
            Assert.True(same || mirrored);
            flipped += mirrored ? 1 : 0;
        }

        Assert.InRange(flipped, 3, 13);
    }

    [Fact]
    public void Cutout_alone_zeroes_one_square_of_the_expected_size()
    {
        torch.manual_seed(7);
        using var images = torch.ones(4, 3, 20, 20);
        var options = AugmentationOptions.None with { CutoutProbability = 1, CutoutFraction = 0.3 };
        using var augmented = Augmentation.Apply(images, options);
        for (var i = 0; i < 4; i++)
        {
            // half = round(0.3·20/2) = 3 → at most a 5×5 square per channel (less when clipped by a border).
            var zeros = (augmented[i][0] == 0).sum().item<long>();
            Assert.InRange(zeros, 1, 25);
            Assert.True(Same(augmented[i][0] == 0, augmented[i][2] == 0));
        }
    }

    [Fact]
    public void Shift_alone_moves_content_by_at_most_the_maximum()
    {
        torch.manual_seed(11);
        // A bright column at x = 10 of a 20-pixel image; 10% shift moves it by at most 2 pixels.
        var column10 = new float[6 * 20 * 20];
        for (var i = 10; i < column10.Length; i += 20)
        {
            column10[i] = 1;
        }

        using var images = torch.tensor(column10, [6, 1, 20, 20]);
        using var augmented = Augmentation.Apply(images, AugmentationOptions.None with { MaxShift = 0.1 });
        for (var i = 0; i < 6; i++)
        {
            var column = augmented[i][0].sum(0L).argmax().item<long>();
            Assert.InRange(column, 8, 12);
        }
    }

    [Theory]
    [InlineData("none", false, 0, 0)]
    [InlineData("flip,cutout", true, 0, 0.5)]
    [InlineData("flip,shift,zoom,cutout", true, 0.08, 0.5)]
    public void Parse_switches_transforms_on_by_name(string text, bool flip, double shift, double cutout)
    {
        var options = AugmentationOptions.Parse(text);
        Assert.Equal(flip, options.Flip);
        Assert.Equal(shift, options.MaxShift);
        Assert.Equal(cutout, options.CutoutProbability);
    }

    [Fact]
    public void Parse_rejects_unknown_names()
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationOptions.Parse("flip,twirl"));
        Assert.Contains("twirl", error.Message);
    }

    [Fact]
    public void The_real_photo_transforms_are_off_by_default_and_on_by_name()
    {
        var defaults = new AugmentationOptions();
        var parsed = AugmentationOptions.Parse("rotate,gray,color,blur,jpeg");

        Assert.False(defaults.AnyPhotometric);
        Assert.Equal(0, defaults.MaxRotationDegrees);
        Assert.Equal((15.0, 0.2, 0.2, 0.2, 0.3), (parsed.MaxRotationDegrees, parsed.GrayscaleProbability, parsed.MaxColorChange, parsed.BlurProbability, parsed.JpegProbability));
        Assert.False(parsed.Flip);
    }

    [Fact]
    public void Rotation_turns_a_horizontal_bar_by_up_to_its_largest_angle()
    {
        // A bright horizontal bar through the centre of a dark 32 px image; after rotating by θ its brightest pixel in
        // the column 10 px right of the centre sits tan θ × 10 px off the centre row.
        torch.manual_seed(11);
        var pixels = new float[16 * 3 * 32 * 32];
        for (var i = 0; i < 16; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var x = 0; x < 32; x++)
                {
                    pixels[(((i * 3) + c) * 32 * 32) + (16 * 32) + x] = 1;
                }
            }
        }

        using var images = torch.tensor(pixels, [16, 3, 32, 32]);
        using var rotated = Augmentation.Apply(images, AugmentationOptions.None with { MaxRotationDegrees = 20 });

        var offsets = Enumerable.Range(0, 16).Select(i => Math.Abs(rotated[i][0][.., 26].argmax().item<long>() - 16)).ToList();
        Assert.All(offsets, o => Assert.InRange(o, 0, 5)); // tan 20° × 10 ≈ 3.6, plus a pixel of rounding
        Assert.Contains(offsets, o => o >= 2);             // some images really turned
    }

    [Fact]
    public void Grayscale_makes_the_channels_equal_and_jpeg_and_blur_change_the_pixels_but_not_their_mean()
    {
        torch.manual_seed(2);
        var random = new Random(4);
        var pixels = new byte[4 * 24 * 24 * 3];
        random.NextBytes(pixels);
        var original = pixels.ToArray();

        Augmentation.ApplyToPixels(pixels, 4, 24, AugmentationOptions.None with { GrayscaleProbability = 1 });
        for (var p = 0; p < pixels.Length; p += 3)
        {
            Assert.True(pixels[p] == pixels[p + 1] && pixels[p + 1] == pixels[p + 2]);
        }

        var softened = original.ToArray();
        Augmentation.ApplyToPixels(softened, 4, 24, AugmentationOptions.None with { BlurProbability = 1, JpegProbability = 1 });
        Assert.NotEqual(original, softened);
        Assert.InRange(softened.Average(b => (double)b) - original.Average(b => (double)b), -3, 3);
        // Noise loses most of its spread to the blur.
        Assert.True(StandardDeviation(softened) < 0.8 * StandardDeviation(original));
    }

    [Fact]
    public void Photometric_transforms_off_leave_the_pixels_and_the_random_stream_alone()
    {
        var pixels = new byte[2 * 8 * 8 * 3];
        new Random(1).NextBytes(pixels);
        var before = pixels.ToArray();
        torch.manual_seed(9);

        Augmentation.ApplyToPixels(pixels, 2, 8, new AugmentationOptions());
        var next = torch.rand(1).item<float>();

        torch.manual_seed(9);
        Assert.Equal(before, pixels);
        Assert.Equal(torch.rand(1).item<float>(), next);
    }

    private static double StandardDeviation(byte[] values)
    {
        var mean = values.Average(b => (double)b);
        return Math.Sqrt(values.Average(b => (b - mean) * (b - mean)));
    }

    private static bool Same(torch.Tensor a, torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();
}
