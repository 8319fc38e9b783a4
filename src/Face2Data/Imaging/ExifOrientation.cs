namespace Face2Data.Imaging;

/// <summary>
/// The EXIF Orientation tag (0x0112): how the stored pixels must be transformed to show the picture upright.
/// Values are the tag's own, 1 to 8.
/// </summary>
public enum ExifOrientation
{
    /// <summary>Stored upright (1).</summary>
    Normal = 1,

    /// <summary>Mirrored left to right (2).</summary>
    FlipHorizontal = 2,

    /// <summary>Upside down (3).</summary>
    Rotate180 = 3,

    /// <summary>Mirrored top to bottom (4).</summary>
    FlipVertical = 4,

    /// <summary>Mirrored across the main diagonal (5).</summary>
    Transpose = 5,

    /// <summary>Must be rotated 90° clockwise (6), as from a phone held upright.</summary>
    Rotate90 = 6,

    /// <summary>Mirrored across the anti-diagonal (7).</summary>
    Transverse = 7,

    /// <summary>Must be rotated 90° counter-clockwise (8).</summary>
    Rotate270 = 8,
}
