using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>
/// The image a detector actually scans: the source scaled by <see cref="Scale"/>, then framed by
/// <see cref="Pad"/> pixels of replicated border on every side (so a face touching the edge of a tight crop
/// still fits a detection window), then, when a fixed canvas is asked for, filled out to it on the right and
/// bottom. Maps the boxes found back to the source and clamps them to it. Owns <see cref="Image"/>.
/// </summary>
internal sealed class DetectionFrame : IDisposable
{
    private DetectionFrame(Mat image, double scale, int pad, int sourceWidth, int sourceHeight)
    {
        Image = image;
        Scale = scale;
        Pad = pad;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
    }

    /// <summary>The image to scan.</summary>
    public Mat Image { get; }

    /// <summary>Detection pixels per source pixel.</summary>
    public double Scale { get; }

    /// <summary>Border added on every side, in detection pixels.</summary>
    public int Pad { get; }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    /// <summary>Throws unless <paramref name="image"/> is a non-empty 8-bit image with 1, 3 or 4 channels (what detectors take).</summary>
    public static void RequireImage(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Depth() != MatType.CV_8U || image.Channels() is not (1 or 3 or 4))
        {
            throw new ArgumentException("Expected a non-empty 8-bit image with 1, 3 or 4 channels.", nameof(image));
        }
    }

    /// <summary>
    /// The border for an image of this size: <paramref name="padFraction"/> when it is near-square (longer side at most
    /// <paramref name="padMaxAspect"/> times the shorter, like a tight face crop), else none.
    /// </summary>
    public static double BorderFraction(int width, int height, double padFraction, double padMaxAspect) =>
        Math.Max(width, height) <= padMaxAspect * Math.Min(width, height) ? padFraction : 0;

    /// <summary>The scale at which a source of this size, framed by its border, fits <paramref name="side"/>.</summary>
    public static double FitScale(int width, int height, double padFraction, int side) =>
        side / (Math.Max(width, height) + (2 * padFraction * Math.Min(width, height)));

    /// <summary>The size of the frame <see cref="Create"/> makes without a canvas: the scaled source and its border.</summary>
    public static Size FramedSize(int width, int height, double scale, double padFraction)
    {
        var (scaledWidth, scaledHeight, pad) = Sizes(width, height, scale, padFraction);
        return new Size(scaledWidth + (2 * pad), scaledHeight + (2 * pad));
    }

    /// <summary>Frames <paramref name="source"/> (8-bit, 1, 3 or 4 channels) for detection.</summary>
    /// <param name="source">The full-resolution image; not modified.</param>
    /// <param name="scale">Detection pixels per source pixel (sizes are rounded down).</param>
    /// <param name="padFraction">Border on each side as a fraction of the shorter source side.</param>
    /// <param name="grayscale">Convert to one channel (Haar) rather than three (BGR, YuNet).</param>
    /// <param name="canvas">Fill out to this size with black on the right and bottom (a network's input); the scaled,
    /// bordered image must fit it. Null leaves the framed size.</param>
    public static DetectionFrame Create(Mat source, double scale, double padFraction, bool grayscale, Size? canvas = null)
    {
        var (width, height, pad) = Sizes(source.Width, source.Height, scale, padFraction);
        var right = canvas is { } c1 ? c1.Width - width - pad : pad;
        var bottom = canvas is { } c2 ? c2.Height - height - pad : pad;
        if (right < 0 || bottom < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"The framed image does not fit the {canvas} canvas.");
        }

        var image = new Mat();
        try
        {
            using var converted = Convert(source, grayscale);
            using var resized = new Mat();
            if (width == source.Width && height == source.Height)
            {
                converted.CopyTo(resized);
            }
            else
            {
                Cv2.Resize(converted, resized, new Size(width, height), interpolation: scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
            }

            Cv2.CopyMakeBorder(resized, image, pad, pad, pad, pad, BorderTypes.Replicate);
            if (right != pad || bottom != pad)
            {
                using var framed = image;
                image = new Mat();
                Cv2.CopyMakeBorder(framed, image, 0, bottom - pad, 0, right - pad, BorderTypes.Constant, Scalar.All(0));
            }

            return new DetectionFrame(image, (double)width / source.Width, pad, source.Width, source.Height);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A box found in <see cref="Image"/>, in source pixels and clamped to the source; null when nothing of it lies
    /// inside the source.
    /// </summary>
    public FaceBox? ToSource(double x, double y, double width, double height)
    {
        var left = Math.Max(0, (int)Math.Round((x - Pad) / Scale));
        var top = Math.Max(0, (int)Math.Round((y - Pad) / Scale));
        var right = Math.Min(SourceWidth, (int)Math.Round((x + width - Pad) / Scale));
        var bottom = Math.Min(SourceHeight, (int)Math.Round((y + height - Pad) / Scale));
        return right > left && bottom > top ? new FaceBox(left, top, right - left, bottom - top) : null;
    }

    public void Dispose() => Image.Dispose();

    // Rounding down keeps a frame sized with FitScale within its canvas.
    private static (int Width, int Height, int Pad) Sizes(int width, int height, double scale, double padFraction) =>
        (Math.Max(1, (int)Math.Floor((width * scale) + 1e-9)),
         Math.Max(1, (int)Math.Floor((height * scale) + 1e-9)),
         (int)Math.Floor((padFraction * Math.Min(width, height) * scale) + 1e-9));

    private static Mat Convert(Mat source, bool grayscale)
    {
        var channels = source.Channels();
        var code = (channels, grayscale) switch
        {
            (1, true) or (3, false) => (ColorConversionCodes?)null,
            (1, false) => ColorConversionCodes.GRAY2BGR,
            (3, true) => ColorConversionCodes.BGR2GRAY,
            (4, true) => ColorConversionCodes.BGRA2GRAY,
            (4, false) => ColorConversionCodes.BGRA2BGR,
            _ => throw new ArgumentException($"Expected 1, 3 or 4 channels, got {channels}.", nameof(source)),
        };
        if (code is null)
        {
            return new Mat(source, new Rect(0, 0, source.Width, source.Height));
        }

        var converted = new Mat();
        try
        {
            Cv2.CvtColor(source, converted, code.Value);
            return converted;
        }
        catch
        {
            converted.Dispose();
            throw;
        }
    }
}
