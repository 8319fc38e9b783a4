using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Imaging;

/// <summary>
/// An upright BGR image decoded at 1/<see cref="Factor"/> of its size (<see cref="ImageDecoder.DecodeReduced"/>),
/// with what it takes to map boxes found in it back to the full-resolution image. Owns <see cref="Image"/>.
/// </summary>
public sealed class ReducedImage : IDisposable
{
    /// <summary>Wraps a decoded image; takes ownership of it.</summary>
    /// <param name="image">The decoded pixels, about <paramref name="fullWidth"/>/<paramref name="factor"/> wide (rounded up).</param>
    /// <param name="factor">Full-resolution pixels per decoded pixel along each axis: 1, 2, 4 or 8.</param>
    /// <param name="fullWidth">Upright width of the full-resolution image.</param>
    /// <param name="fullHeight">Upright height of the full-resolution image.</param>
    public ReducedImage(Mat image, int factor, int fullWidth, int fullHeight)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (factor is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be 1, 2, 4 or 8.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(fullWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fullHeight, 1);
        Image = image;
        Factor = factor;
        FullWidth = fullWidth;
        FullHeight = fullHeight;
    }

    /// <summary>The decoded pixels.</summary>
    public Mat Image { get; }

    /// <summary>Full-resolution pixels per decoded pixel along each axis: 1, 2, 4 or 8.</summary>
    public int Factor { get; }

    /// <summary>Upright width of the full-resolution image.</summary>
    public int FullWidth { get; }

    /// <summary>Upright height of the full-resolution image.</summary>
    public int FullHeight { get; }

    /// <summary>A box in <see cref="Image"/>'s pixels, in full-resolution pixels, clamped to the full image.</summary>
    public FaceBox ToFullResolution(FaceBox box)
    {
        var left = Math.Clamp(box.X * Factor, 0, FullWidth - 1);
        var top = Math.Clamp(box.Y * Factor, 0, FullHeight - 1);
        var right = Math.Clamp((box.X + box.Width) * Factor, left + 1, FullWidth);
        var bottom = Math.Clamp((box.Y + box.Height) * Factor, top + 1, FullHeight);
        return new FaceBox(left, top, right - left, bottom - top);
    }

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
