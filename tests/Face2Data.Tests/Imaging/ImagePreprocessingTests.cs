using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Imaging;

public sealed class ImagePreprocessingTests
{
    [Theory]
    [InlineData(200, 200, ResizeMethod.Area)]
    [InlineData(64, 64, ResizeMethod.Area)] // already the input size: copied as it is
    [InlineData(37, 91, ResizeMethod.Linear)]
    [InlineData(150, 120, ResizeMethod.Cubic)]
    public void WriteTensor_gives_exactly_the_floats_of_WriteRgbPixels_then_Normalize(int width, int height, ResizeMethod resize)
    {
        var preprocessing = new ImagePreprocessing { Size = 64, Resize = resize, Mean = [0.4f, 0.5f, 0.6f], Std = [0.2f, 0.25f, 0.3f] };
        using var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
        var expected = new float[preprocessing.TensorLength];
        preprocessing.Normalize(preprocessing.ToRgbPixels(image), expected);

        var actual = new float[preprocessing.TensorLength];
        preprocessing.WriteTensor(image, new byte[preprocessing.PixelLength], actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WriteTensor_puts_red_in_the_first_plane()
    {
        var preprocessing = new ImagePreprocessing { Size = 2, Mean = [0, 0, 0], Std = [1, 1, 1] };
        using var red = new Mat(2, 2, MatType.CV_8UC3, new Scalar(0, 0, 255));
        var tensor = new float[preprocessing.TensorLength];

        preprocessing.WriteTensor(red, new byte[preprocessing.PixelLength], tensor);

        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], tensor);
    }

    [Fact]
    public void WriteTensor_refuses_buffers_of_the_wrong_length()
    {
        var preprocessing = new ImagePreprocessing { Size = 8 };
        using var image = new Mat(8, 8, MatType.CV_8UC3);

        Assert.Throws<ArgumentException>(() => preprocessing.WriteTensor(image, new byte[preprocessing.PixelLength - 1], new float[preprocessing.TensorLength]));
        Assert.Throws<ArgumentException>(() => preprocessing.WriteTensor(image, new byte[preprocessing.PixelLength], new float[preprocessing.TensorLength + 1]));
    }
}
