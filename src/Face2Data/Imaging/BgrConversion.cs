using OpenCvSharp;

namespace Face2Data.Imaging;

/// <summary>
/// Turns whatever OpenCV decoded (8- or 16-bit; gray, BGR or BGRA) into an upright 8-bit BGR image.
/// Each step takes ownership of its input Mat and disposes it, and disposes its own output if it fails, so no
/// native memory leaks whichever step throws.
/// </summary>
internal static class BgrConversion
{
    public static Mat ToUprightBgr(Mat decoded, ImageHeader header)
    {
        var image = ToEightBit(decoded, header.Format);
        image = image.Channels() switch
        {
            1 => Convert(image, static (source, result) => Cv2.CvtColor(source, result, ColorConversionCodes.GRAY2BGR)),
            3 => image,
            4 => Convert(image, CompositeOverWhite),
            var channels => throw DisposeAnd(image, ImageError.Unsupported(header.Format, $"{channels} channels")),
        };
        return Orient(image, header.Orientation);
    }

    /// <summary>
    /// An 8-bit image the caller owns as BGR, by the same rule as decoded images: grey is expanded, BGRA is composited
    /// over white. Null when it already is BGR (use it as it is); otherwise a new Mat the caller disposes.
    /// </summary>
    public static Mat? ToBgrCopy(Mat image)
    {
        var channels = image.Channels();
        if (channels == 3)
        {
            return null;
        }

        if (channels is not (1 or 4))
        {
            throw new ArgumentException($"Expected a grey, BGR or BGRA image, not {channels} channels.", nameof(image));
        }

        var result = new Mat();
        try
        {
            if (channels == 1)
            {
                Cv2.CvtColor(image, result, ColorConversionCodes.GRAY2BGR);
            }
            else
            {
                CompositeOverWhite(image, result);
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // 16-bit samples scale by 255/65535 = 1/257 (65535 → 255, 257·k → k), rounded, rather than dropping the low byte.
    private static Mat ToEightBit(Mat image, ImageFormat format)
    {
        var depth = image.Depth();
        if (depth == MatType.CV_8U)
        {
            return image;
        }

        if (depth == MatType.CV_16U)
        {
            return Convert(image, static (source, result) => source.ConvertTo(result, MatType.CV_8U, 1.0 / 257));
        }

        throw DisposeAnd(image, ImageError.Unsupported(format, $"{image.Type()} samples (only 8- and 16-bit integers are decoded)"));
    }

    // result = 255 - (255 - colour) · alpha / 255: opaque pixels keep their colour, transparent ones turn white,
    // which suits photos with a transparent background better than the arbitrary colour stored under alpha 0.
    private static void CompositeOverWhite(Mat bgra, Mat bgr)
    {
        using var colour = new Mat();
        Cv2.CvtColor(bgra, colour, ColorConversionCodes.BGRA2BGR);
        using var alpha = new Mat();
        Cv2.ExtractChannel(bgra, alpha, 3);
        using var alpha3 = new Mat();
        Cv2.CvtColor(alpha, alpha3, ColorConversionCodes.GRAY2BGR);
        using var inverse = new Mat();
        Cv2.BitwiseNot(colour, inverse);
        Cv2.Multiply(inverse, alpha3, inverse, 1.0 / 255);
        Cv2.BitwiseNot(inverse, bgr);
    }

    // The same transforms as OpenCV's own EXIF handling (loadsave.cpp ApplyExifOrientation).
    private static Mat Orient(Mat image, ExifOrientation orientation) => orientation switch
    {
        ExifOrientation.FlipHorizontal => Convert(image, static (source, result) => Cv2.Flip(source, result, FlipMode.Y)),
        ExifOrientation.Rotate180 => Convert(image, static (source, result) => Cv2.Rotate(source, result, RotateFlags.Rotate180)),
        ExifOrientation.FlipVertical => Convert(image, static (source, result) => Cv2.Flip(source, result, FlipMode.X)),
        ExifOrientation.Transpose => Convert(image, static (source, result) => Cv2.Transpose(source, result)),
        ExifOrientation.Rotate90 => Convert(image, static (source, result) => Cv2.Rotate(source, result, RotateFlags.Rotate90Clockwise)),
        ExifOrientation.Transverse => Convert(image, static (source, result) =>
        {
            Cv2.Transpose(source, result);
            Cv2.Flip(result, result, FlipMode.XY);
        }),
        ExifOrientation.Rotate270 => Convert(image, static (source, result) => Cv2.Rotate(source, result, RotateFlags.Rotate90Counterclockwise)),
        _ => image,
    };

    private static Mat Convert(Mat source, Action<Mat, Mat> convert)
    {
        try
        {
            var result = new Mat();
            try
            {
                convert(source, result);
                return result;
            }
            catch
            {
                result.Dispose();
                throw;
            }
        }
        finally
        {
            source.Dispose();
        }
    }

    private static ImageDecodeException DisposeAnd(Mat image, ImageDecodeException error)
    {
        image.Dispose();
        return error;
    }
}
