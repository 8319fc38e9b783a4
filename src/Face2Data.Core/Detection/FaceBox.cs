using System.Text.Json.Serialization;

namespace Face2Data.Core.Detection;

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
    public double IntersectionOverUnion(FaceBox other)
    {
        var left = Math.Max(X, other.X);
        var top = Math.Max(Y, other.Y);
        var right = Math.Min(X + Width, other.X + other.Width);
        var bottom = Math.Min(Y + Height, other.Y + other.Height);
        if (right <= left || bottom <= top)
        {
            return 0;
        }

        var intersection = (double)(right - left) * (bottom - top);
        return intersection / (Area + other.Area - intersection);
    }
}
