using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class BaselineImageTests
{
    [Fact]
    public void Mean_baseline_is_the_mean_colour_everywhere()
    {
        byte[] pixels = [0, 0, 0, 10, 20, 30, 20, 40, 60, 30, 60, 91];

        var baseline = BaselineImage.Create(pixels, 2, AttributionBaseline.Mean);

        Assert.Equal([15, 30, 45, 15, 30, 45, 15, 30, 45, 15, 30, 45], baseline);
    }

    [Fact]
    public void Blur_baseline_keeps_the_colours_and_removes_the_detail()
    {
        // A black and white checkerboard of 2-pixel squares, tinted per channel.
        const int size = 32;
        var pixels = new byte[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var on = (x / 2 + (y / 2)) % 2 == 0;
                for (var c = 0; c < 3; c++)
                {
                    pixels[(((y * size) + x) * 3) + c] = (byte)(on ? 200 + (c * 20) : 20);
                }
            }
        }

        var blurred = BaselineImage.Create(pixels, size, AttributionBaseline.Blur);

        for (var c = 0; c < 3; c++)
        {
            var channel = blurred.Where((_, i) => i % 3 == c).Select(v => (double)v).ToList();
            var original = pixels.Where((_, i) => i % 3 == c).Select(v => (double)v).ToList();
            Assert.Equal(original.Average(), channel.Average(), 0);
            Assert.True(StandardDeviation(channel) < 0.1 * StandardDeviation(original), $"channel {c} keeps its detail");
        }
    }

    [Fact]
    public void Pixels_of_the_wrong_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => BaselineImage.Create(new byte[10], 2, AttributionBaseline.Blur));
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
