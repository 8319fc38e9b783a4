using OpenCvSharp;

namespace Face2Data.Imaging;

/// <summary>
/// How a face crop becomes a model input: resized to <see cref="Size"/>×<see cref="Size"/> with
/// <see cref="Resize"/>, converted to RGB, scaled to [0, 1], then normalized per channel with
/// <see cref="Mean"/> and <see cref="Std"/>, laid out CHW. The training cache and the inference pipeline both
/// call these methods, so a model always sees the same tensor for the same image.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>Side of the square model input, in pixels.</summary>
    public required int Size { get; init; }

    /// <summary>Interpolation used to reach <see cref="Size"/>.</summary>
    public ResizeMethod Resize { get; init; } = ResizeMethod.Area;

    /// <summary>Per-channel mean (R, G, B) subtracted after scaling to [0, 1].</summary>
    public float[] Mean { get; init; } = [0.5f, 0.5f, 0.5f];

    /// <summary>Per-channel standard deviation (R, G, B) divided by after subtracting the mean.</summary>
    public float[] Std { get; init; } = [0.25f, 0.25f, 0.25f];

    /// <summary>Number of floats in one normalized CHW image.</summary>
    public int TensorLength => 3 * Size * Size;

    /// <summary>Number of bytes in one resized HWC RGB image.</summary>
    public int PixelLength => 3 * Size * Size;

    /// <summary>OpenCV's interpolation flag for a resize method.</summary>
    public static InterpolationFlags ToInterpolation(ResizeMethod method) => method switch
    {
        ResizeMethod.Area => InterpolationFlags.Area,
        ResizeMethod.Linear => InterpolationFlags.Linear,
        ResizeMethod.Cubic => InterpolationFlags.Cubic,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>
    /// Resizes a BGR (3-channel, 8-bit) image to <see cref="Size"/>×<see cref="Size"/> and writes its pixels as
    /// HWC RGB bytes into <paramref name="destination"/> (length <see cref="PixelLength"/>).
    /// </summary>
    public void WriteRgbPixels(Mat bgr, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image, got {bgr.Type()} {bgr.Width}x{bgr.Height}.", nameof(bgr));
        }

        if (destination.Length != PixelLength)
        {
            throw new ArgumentException($"Destination must hold {PixelLength} bytes.", nameof(destination));
        }

        using var resized = new Mat();
        var interpolation = bgr.Width == Size && bgr.Height == Size ? InterpolationFlags.Nearest : ToInterpolation(Resize);
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(Size, Size), 0, 0, interpolation);
        using var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        if (!rgb.IsContinuous())
        {
            throw new InvalidOperationException("OpenCV returned a non-continuous image.");
        }

        unsafe
        {
            new ReadOnlySpan<byte>(rgb.DataPointer, PixelLength).CopyTo(destination);
        }
    }

    /// <summary>
    /// Resizes a BGR (3-channel, 8-bit) image and writes the normalized CHW floats the model reads into
    /// <paramref name="chw"/> (length <see cref="TensorLength"/>): the same values as <see cref="WriteRgbPixels"/>
    /// followed by <see cref="Normalize"/>, in one pass, without the colour conversion and with the resized pixels
    /// in <paramref name="scratch"/> (length <see cref="PixelLength"/>) rather than in new native memory.
    /// </summary>
    public void WriteTensor(Mat bgr, Span<byte> scratch, Span<float> chw)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image, got {bgr.Type()} {bgr.Width}x{bgr.Height}.", nameof(bgr));
        }

        if (scratch.Length != PixelLength || chw.Length != TensorLength)
        {
            throw new ArgumentException($"Expected {PixelLength} scratch bytes and {TensorLength} floats.");
        }

        var interpolation = bgr.Width == Size && bgr.Height == Size ? InterpolationFlags.Nearest : ToInterpolation(Resize);
        unsafe
        {
            fixed (byte* pixels = scratch)
            {
                using var resized = Mat.FromPixelData(Size, Size, MatType.CV_8UC3, (IntPtr)pixels);
                Cv2.Resize(bgr, resized, new OpenCvSharp.Size(Size, Size), 0, 0, interpolation);
                if (resized.DataPointer != pixels)
                {
                    throw new InvalidOperationException("OpenCV reallocated the resize destination.");
                }
            }
        }

        // Channel c of the output (R, G, B) is byte 2 - c of each BGR pixel; the arithmetic is Normalize's, so the
        // floats are bit for bit the same.
        var plane = Size * Size;
        for (var c = 0; c < 3; c++)
        {
            var scale = 1f / (255f * Std[c]);
            var offset = -Mean[c] / Std[c];
            var output = chw.Slice(c * plane, plane);
            var source = scratch[(2 - c)..];
            for (var i = 0; i < plane; i++)
            {
                output[i] = source[i * 3] * scale + offset;
            }
        }
    }

    /// <summary>Resizes a BGR image and returns its HWC RGB bytes.</summary>
    public byte[] ToRgbPixels(Mat bgr)
    {
        var pixels = new byte[PixelLength];
        WriteRgbPixels(bgr, pixels);
        return pixels;
    }

    /// <summary>
    /// Turns HWC RGB bytes (length <see cref="PixelLength"/>) into the normalized CHW floats the model reads
    /// (length <see cref="TensorLength"/>).
    /// </summary>
    public void Normalize(ReadOnlySpan<byte> rgbPixels, Span<float> chw)
    {
        if (rgbPixels.Length != PixelLength || chw.Length != TensorLength)
        {
            throw new ArgumentException($"Expected {PixelLength} pixels and {TensorLength} floats.");
        }

        var plane = Size * Size;
        for (var c = 0; c < 3; c++)
        {
            var scale = 1f / (255f * Std[c]);
            var offset = -Mean[c] / Std[c];
            var output = chw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                output[i] = rgbPixels[(i * 3) + c] * scale + offset;
            }
        }
    }
}
