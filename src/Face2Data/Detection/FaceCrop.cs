using OpenCvSharp;

namespace Face2Data.Detection;

/// <summary>Cuts the square region a model expects around a detected face.</summary>
public static class FaceCrop
{
    /// <summary>Images at most this side, and near-square, are taken as a face crop in <see cref="DetectionMode.Auto"/> when no face is found.</summary>
    public const int CropLikeMaxSide = 512;

    /// <summary>
    /// Whether an image of this size could be a face crop: at most <see cref="CropLikeMaxSide"/> pixels and
    /// near-square (the longer side at most 1.25 times the shorter).
    /// </summary>
    public static bool LooksLikeACrop(int width, int height)
    {
        var longSide = Math.Max(width, height);
        var shortSide = Math.Min(width, height);
        return longSide <= CropLikeMaxSide && shortSide * 5 >= longSide * 4;
    }

    /// <summary>
    /// The square crop for a detector box: side = max(width, height) × <see cref="CropGeometry.Scale"/>, centred on
    /// the box and moved down by <see cref="CropGeometry.ShiftY"/> × side. Parts outside the image repeat its border,
    /// so a face at the edge still gets a full crop. The caller disposes the result.
    /// </summary>
    public static Mat Extract(Mat image, FaceBox box, CropGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(geometry);
        var region = Region(box, geometry);
        var inside = new Rect(0, 0, image.Width, image.Height).Intersect(region);
        if (inside.Width <= 0 || inside.Height <= 0)
        {
            throw new ArgumentException($"The crop {region} lies outside the {image.Width}x{image.Height} image.", nameof(box));
        }

        using var view = new Mat(image, inside);
        var crop = new Mat();
        try
        {
            Cv2.CopyMakeBorder(
                view, crop,
                top: inside.Y - region.Y, bottom: region.Bottom - inside.Bottom,
                left: inside.X - region.X, right: region.Right - inside.Right,
                BorderTypes.Replicate);
            return crop;
        }
        catch
        {
            crop.Dispose();
            throw;
        }
    }

    /// <summary>The square region (possibly reaching outside the image) <see cref="Extract"/> cuts.</summary>
    public static Rect Region(FaceBox box, CropGeometry geometry)
    {
        var side = Math.Max(1, (int)Math.Round(Math.Max(box.Width, box.Height) * geometry.Scale));
        var centerX = box.X + (box.Width / 2.0);
        var centerY = box.Y + (box.Height / 2.0) + (geometry.ShiftY * side);
        return new Rect((int)Math.Round(centerX - (side / 2.0)), (int)Math.Round(centerY - (side / 2.0)), side, side);
    }
    /// <summary>
    /// The square crop that puts the face's eyes where <paramref name="alignment"/> says (a similarity transform:
    /// rotation, uniform scale and shift), so a tilted face comes out level and framed like the training crops. The
    /// side is the face's own resolution (eye distance ÷ <see cref="EyeAlignment.EyeDistance"/>, at least 8 pixels);
    /// parts outside the image repeat its border. The caller disposes the result.
    /// </summary>
    /// <exception cref="ArgumentException">The eyes coincide, or the alignment's do.</exception>
    public static Mat ExtractAligned(Mat image, FaceLandmarks landmarks, EyeAlignment alignment)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(alignment);
        var (transform, side) = AlignmentTransform(landmarks, alignment);
        using var matrix = Mat.FromPixelData(2, 3, MatType.CV_64FC1, transform);
        var crop = new Mat();
        try
        {
            Cv2.WarpAffine(image, crop, matrix, new Size(side, side), InterpolationFlags.Linear, BorderTypes.Replicate);
            return crop;
        }
        catch
        {
            crop.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The 2×3 affine matrix (row-major) from image pixels to the aligned crop's pixels, and the crop's side, that
    /// <see cref="ExtractAligned"/> uses.
    /// </summary>
    public static (double[] Matrix, int Side) AlignmentTransform(FaceLandmarks landmarks, EyeAlignment alignment)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(alignment);
        double ux = landmarks.RightEye.X - landmarks.LeftEye.X, uy = landmarks.RightEye.Y - landmarks.LeftEye.Y;
        var eyes = Math.Sqrt((ux * ux) + (uy * uy));
        var fraction = alignment.EyeDistance;
        if (!(eyes > 1e-3) || !(fraction > 1e-6) || !double.IsFinite(eyes))
        {
            throw new ArgumentException("The two eyes must be apart to align a face.", nameof(landmarks));
        }

        var side = Math.Max(8, (int)Math.Round(eyes / fraction));
        double vx = (alignment.RightEye.X - alignment.LeftEye.X) * side, vy = (alignment.RightEye.Y - alignment.LeftEye.Y) * side;
        var scale = Math.Sqrt((vx * vx) + (vy * vy)) / eyes;
        var angle = Math.Atan2(vy, vx) - Math.Atan2(uy, ux);
        double a = scale * Math.Cos(angle), b = scale * Math.Sin(angle);
        // [a −b; b a] maps the left eye onto its place; the shift is what is left over.
        var tx = (alignment.LeftEye.X * side) - ((a * landmarks.LeftEye.X) - (b * landmarks.LeftEye.Y));
        var ty = (alignment.LeftEye.Y * side) - ((b * landmarks.LeftEye.X) + (a * landmarks.LeftEye.Y));
        return ([a, -b, tx, b, a, ty], side);
    }
}
