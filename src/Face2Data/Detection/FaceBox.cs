using System.Text.Json.Serialization;

namespace Face2Data.Detection;

/// <summary>An axis-aligned rectangle in image pixels.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width (positive).</param>
/// <param name="Height">Height (positive).</param>
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    /// <summary>Area in pixels.</summary>
    [JsonIgnore]
    public long Area => (long)Width * Height;

    /// <summary>Intersection over union with another box (0 when they do not overlap).</summary>
    public double IntersectionOverUnion(FaceBox other) =>
        IntersectionOverUnion(X, Y, Width, Height, other.X, other.Y, other.Width, other.Height);

    /// <summary>Intersection over union of two boxes given by left, top, width and height (0 when they do not overlap).</summary>
    internal static double IntersectionOverUnion(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
    {
        var left = Math.Max(ax, bx);
        var top = Math.Max(ay, by);
        var right = Math.Min(ax + aw, bx + bw);
        var bottom = Math.Min(ay + ah, by + bh);
        if (right <= left || bottom <= top)
        {
            return 0;
        }

        var intersection = (right - left) * (bottom - top);
        return intersection / ((aw * ah) + (bw * bh) - intersection);
    }
}
