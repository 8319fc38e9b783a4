using Face2Data.IO;
using OpenCvSharp;

namespace Face2Data.Explanation;

/// <summary>
/// Draws an <see cref="AttributionMap"/> over its face crop: the grid is scaled to the crop (bilinear, so cells blend
/// into each other), divided by its largest absolute value, coloured red where the region supported the output and
/// blue where it worked against it, and blended over the crop with an opacity that grows with the magnitude, so
/// regions that did not matter show the face unchanged.
/// </summary>
public static class AttributionOverlay
{
    /// <summary>Longer side of the rendered image, in pixels, unless asked otherwise.</summary>
    public const int DefaultSide = 256;

    /// <summary>Opacity of the colour where the attribution is largest.</summary>
    public const double MaxOpacity = 0.7;

    /// <summary>
    /// The overlay as a BGR image whose longer side is <paramref name="side"/> pixels and whose shape is the crop's.
    /// The caller disposes it.
    /// </summary>
    /// <param name="crop">The face crop the map was computed on (<see cref="Inference.FaceInput.Crop"/>): 8-bit, 1, 3 or 4 channels.</param>
    /// <param name="map">The attributions.</param>
    /// <param name="side">Longer side of the result.</param>
    public static Mat Render(Mat crop, AttributionMap map, int side = DefaultSide)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(side, 4096);
        if (crop.Empty() || crop.Depth() != MatType.CV_8U || crop.Channels() is not (1 or 3 or 4))
        {
            throw new ArgumentException("Expected a non-empty 8-bit crop with 1, 3 or 4 channels.", nameof(crop));
        }

        if (map.Values.Length != map.Grid * map.Grid)
        {
            throw new ArgumentException($"The map has {map.Values.Length} values for a {map.Grid}×{map.Grid} grid.", nameof(map));
        }

        var scale = (double)side / Math.Max(crop.Width, crop.Height);
        var size = new Size(Math.Max(1, (int)Math.Round(crop.Width * scale)), Math.Max(1, (int)Math.Round(crop.Height * scale)));
        using var face = new Mat();
        using (var bgr = crop.Channels() == 3 ? null : new Mat())
        {
            if (bgr is not null)
            {
                Cv2.CvtColor(crop, bgr, crop.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
            }

            Cv2.Resize(bgr ?? crop, face, size, 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        }

        var largest = map.Values.Max(v => Math.Abs(v));
        var normalized = map.Values.Select(v => largest > 0 && float.IsFinite(largest) ? v / largest : 0f).ToArray();
        using var grid = Mat.FromPixelData(map.Grid, map.Grid, MatType.CV_32FC1, normalized);
        using var heat = new Mat();
        Cv2.Resize(grid, heat, size, 0, 0, InterpolationFlags.Linear);

        using var index = new Mat();
        heat.ConvertTo(index, MatType.CV_8UC1, 127.5, 127.5);
        using var lut = Mat.FromPixelData(256, 1, MatType.CV_8UC3, DivergingColours());
        using var colour = new Mat();
        Cv2.ApplyColorMap(index, colour, lut);

        using var zero = new Mat(size, MatType.CV_32FC1, Scalar.All(0));
        using var magnitude = new Mat();
        Cv2.Absdiff(heat, zero, magnitude);
        using var opacity = new Mat();
        magnitude.ConvertTo(opacity, MatType.CV_32FC1, MaxOpacity);
        using var transparency = new Mat();
        magnitude.ConvertTo(transparency, MatType.CV_32FC1, -MaxOpacity, 1);

        var result = new Mat();
        try
        {
            Cv2.BlendLinear(face, colour, transparency, opacity, result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The overlay (<see cref="Render"/>) as PNG bytes.</summary>
    public static byte[] ToPng(Mat crop, AttributionMap map, int side = DefaultSide)
    {
        using var overlay = Render(crop, map, side);
        return overlay.ImEncode(".png");
    }

    /// <summary>Writes the overlay as a PNG file, atomically (a reader sees the old file or the whole new one).</summary>
    public static void Save(string path, Mat crop, AttributionMap map, int side = DefaultSide)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var png = ToPng(crop, map, side);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    // A BGR lookup table for indices 0–255 (−1 to 1): deep blue through blue at the negative end, red through
    // yellow at the positive end. The middle's colour hardly matters: it is drawn transparent.
    private static byte[] DivergingColours()
    {
        var table = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var t = (i - 127.5) / 127.5;
            var strength = Math.Abs(t);
            var (b, g, r) = t >= 0
                ? (0.0, 200 * strength * strength, 255.0)
                : (255.0, 140 * strength * strength, 40 * (1 - strength));
            table[i * 3] = (byte)Math.Round(b);
            table[(i * 3) + 1] = (byte)Math.Round(g);
            table[(i * 3) + 2] = (byte)Math.Round(r);
        }

        return table;
    }
}
