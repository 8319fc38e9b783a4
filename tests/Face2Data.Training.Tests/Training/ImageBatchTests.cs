using Face2Data.Imaging;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Training;

public class ImageBatchTests
{
    private static readonly ImagePreprocessing Preprocessing = new() { Size = 80 };

    [Fact]
    public void Each_image_is_normalized_into_its_own_channel_planes()
    {
        var pixels = Pixels(3, seed: 1);
        using var batch = ImageBatch.ToTensor(pixels, 3, Preprocessing);

        Assert.Equal(new long[] { 3, 3, 80, 80 }, batch.shape);
        var expected = new float[Preprocessing.TensorLength];
        var values = batch.data<float>().ToArray();
        for (var i = 0; i < 3; i++)
        {
            Preprocessing.Normalize(pixels.AsSpan(i * Preprocessing.PixelLength, Preprocessing.PixelLength), expected);
            Assert.Equal(expected, values.AsSpan(i * Preprocessing.TensorLength, Preprocessing.TensorLength).ToArray());
        }
    }

    [Fact]
    public void A_batch_allocates_no_image_sized_managed_array()
    {
        var pixels = Pixels(64, seed: 2);
        using (ImageBatch.ToTensor(pixels, 64, Preprocessing))
        {
        }

        var start = GC.GetAllocatedBytesForCurrentThread();
        using (ImageBatch.ToTensor(pixels, 64, Preprocessing))
        {
        }

        // The tensor holds 4.9 MB; what the call allocates on the managed heap is a few small objects.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Too_few_pixels_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageBatch.ToTensor(new byte[10], 1, Preprocessing));
        Assert.Contains("Not enough pixels", error.Message);
    }

    private static byte[] Pixels(int count, int seed)
    {
        var pixels = new byte[count * Preprocessing.PixelLength];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }
}
