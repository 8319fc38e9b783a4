using OpenCvSharp;

namespace Face2Data.Explanation;

/// <summary>Makes the image a removed region is replaced with (<see cref="AttributionBaseline"/>).</summary>
public static class BaselineImage
{
    /// <summary>Gaussian sigma of the blur baseline, as a fraction of the input side.</summary>
    public const double BlurSigmaFraction = 1.0 / 8;

    /// <summary>
    /// The baseline of a square HWC RGB image of <paramref name="size"/> pixels (the model's input pixels), as HWC
    /// RGB bytes of the same size.
    /// </summary>
    public static byte[] Create(ReadOnlySpan<byte> rgbPixels, int size, AttributionBaseline baseline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (rgbPixels.Length != 3 * size * size)
        {
            throw new ArgumentException($"Expected {size} × {size} × 3 = {3 * size * size} bytes, got {rgbPixels.Length}.", nameof(rgbPixels));
        }

        return baseline switch
        {
            AttributionBaseline.Mean => Mean(rgbPixels),
            AttributionBaseline.Blur => Blur(rgbPixels, size),
            _ => throw new ArgumentOutOfRangeException(nameof(baseline), baseline, null),
        };
    }

    private static byte[] Mean(ReadOnlySpan<byte> pixels)
    {
        var sums = new long[3];
        for (var i = 0; i < pixels.Length; i++)
        {
            sums[i % 3] += pixels[i];
        }

        var count = pixels.Length / 3;
        var mean = sums.Select(s => (byte)Math.Round((double)s / count)).ToArray();
        var result = new byte[pixels.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = mean[i % 3];
        }

        return result;
    }

    private static byte[] Blur(ReadOnlySpan<byte> pixels, int size)
    {
        using var image = Mat.FromPixelData(size, size, MatType.CV_8UC3, pixels.ToArray());
        using var blurred = new Mat();
        var sigma = Math.Max(0.5, size * BlurSigmaFraction);
        Cv2.GaussianBlur(image, blurred, new Size(0, 0), sigma, sigma, BorderTypes.Reflect101);
        var result = new byte[pixels.Length];
        unsafe
        {
            new ReadOnlySpan<byte>(blurred.DataPointer, result.Length).CopyTo(result);
        }

        return result;
    }
}
