using OpenCvSharp;

namespace Face2Data.Testing;

/// <summary>Checks that a file is a PNG OpenCV decodes, of an exact size, and not one flat colour.</summary>
internal static class PngAssert
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void IsChart(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(PngSignature), $"{path} is not a PNG.");
        using var image = Cv2.ImDecode(bytes, ImreadModes.Color);
        Assert.False(image.Empty(), $"{path} does not decode.");
        Assert.Equal((width, height), (image.Width, image.Height));
        Cv2.MeanStdDev(image, out _, out var deviation);
        Assert.True(deviation.Val0 + deviation.Val1 + deviation.Val2 > 1, $"{path} is a single flat colour.");
    }
}
