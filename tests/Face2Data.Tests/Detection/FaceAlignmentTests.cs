using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// <see cref="FaceCrop.ExtractAligned"/> and <see cref="FaceCrop.AlignmentTransform"/>: a face's eyes land where the
/// alignment puts them, a rotated face comes out level, and bad landmarks are refused.
/// </summary>
public sealed class FaceAlignmentTests
{
    private static readonly EyeAlignment Target = new(new FacePoint(0.3f, 0.4f), new FacePoint(0.7f, 0.4f));

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    [InlineData(-40)]
    public void The_transform_maps_both_eyes_onto_their_places(double rollDegrees)
    {
        var landmarks = Rotated(new FacePoint(300, 200), 60, rollDegrees);

        var (m, side) = FaceCrop.AlignmentTransform(landmarks, Target);

        Assert.Equal(150, side); // eye distance 60 px ÷ 0.4 of the side
        var left = Apply(m, landmarks.LeftEye);
        var right = Apply(m, landmarks.RightEye);
        Assert.Equal(0.3 * side, left.X, 3);
        Assert.Equal(0.4 * side, left.Y, 3);
        Assert.Equal(0.7 * side, right.X, 3);
        Assert.Equal(0.4 * side, right.Y, 3);
        Assert.Equal(1.0, Math.Sqrt((m[0] * m[0]) + (m[3] * m[3])), 4); // the face's own resolution: no scaling
    }

    [Fact]
    public void A_face_drawn_tilted_by_30_degrees_comes_out_level_with_its_eyes_in_place()
    {
        // Two dark eyes on a grey face, tilted 30° clockwise in a 400×300 photo.
        var landmarks = Rotated(new FacePoint(210, 140), 50, 30);
        using var image = new Mat(300, 400, MatType.CV_8UC3, new Scalar(170, 170, 170));
        foreach (var eye in new[] { landmarks.LeftEye, landmarks.RightEye })
        {
            // Sub-pixel centres (4 fractional bits), so rounding does not tilt the drawn eyes.
            Cv2.Circle(image, new Point((int)Math.Round(eye.X * 16), (int)Math.Round(eye.Y * 16)), 5 * 16, Scalar.All(20), -1, LineTypes.AntiAlias, shift: 4);
        }

        using var crop = FaceCrop.ExtractAligned(image, landmarks, Target);

        Assert.Equal(125, crop.Width); // 50 ÷ 0.4
        Assert.Equal(125, crop.Height);
        var left = DarkCentre(crop, 0, crop.Width / 2);
        var right = DarkCentre(crop, crop.Width / 2, crop.Width);
        Assert.Equal(0.3 * 125, left.X, 1.0);
        Assert.Equal(0.7 * 125, right.X, 1.0);
        Assert.Equal(0.4 * 125, left.Y, 1.0);
        Assert.Equal(0.4 * 125, right.Y, 1.0);
        Assert.True(Math.Abs(left.Y - right.Y) < 0.5, $"eyes at y {left.Y:0.00} and {right.Y:0.00}: not level");
    }

    [Fact]
    public void Coinciding_eyes_are_refused_with_a_clear_message()
    {
        var eye = new FacePoint(10, 10);
        var landmarks = new FaceLandmarks(eye, eye, new FacePoint(10, 20), new FacePoint(5, 30), new FacePoint(15, 30));
        using var image = new Mat(50, 50, MatType.CV_8UC3, Scalar.All(0));

        var error = Assert.Throws<ArgumentException>(() => FaceCrop.ExtractAligned(image, landmarks, Target));

        Assert.Contains("eyes must be apart", error.Message);
    }

    [Fact]
    public void Roll_is_the_eye_line_angle_positive_when_the_right_eye_is_lower_and_transform_scales_and_shifts()
    {
        var landmarks = Rotated(new FacePoint(100, 100), 40, 15);

        Assert.Equal(15, landmarks.RollDegrees, 4);
        Assert.Equal(-15, Rotated(new FacePoint(100, 100), 40, -15).RollDegrees, 4);
        var moved = landmarks.Transform(2, 10, -5);
        Assert.Equal((landmarks.Nose.X * 2) + 10, moved.Nose.X, 4);
        Assert.Equal((landmarks.Nose.Y * 2) - 5, moved.Nose.Y, 4);
        Assert.Equal(15, moved.RollDegrees, 4);
    }

    // Landmarks of a face centred at `centre` with eyes `eyes` px apart, turned by `rollDegrees` (clockwise in the image).
    internal static FaceLandmarks Rotated(FacePoint centre, double eyes, double rollDegrees)
    {
        var angle = rollDegrees * Math.PI / 180;
        FacePoint At(double x, double y) => new(
            (float)(centre.X + (x * Math.Cos(angle)) - (y * Math.Sin(angle))),
            (float)(centre.Y + (x * Math.Sin(angle)) + (y * Math.Cos(angle))));
        return new FaceLandmarks(At(-eyes / 2, 0), At(eyes / 2, 0), At(0, eyes * 0.5), At(-eyes * 0.4, eyes), At(eyes * 0.4, eyes));
    }

    private static (double X, double Y) Apply(double[] m, FacePoint p) =>
        ((m[0] * p.X) + (m[1] * p.Y) + m[2], (m[3] * p.X) + (m[4] * p.Y) + m[5]);

    // The centroid of the dark pixels (darkness-weighted) in columns [from, to).
    private static (double X, double Y) DarkCentre(Mat crop, int from, int to)
    {
        double sum = 0, sx = 0, sy = 0;
        var height = crop.Height;
        for (var y = 0; y < height; y++)
        {
            for (var x = from; x < to; x++)
            {
                var weight = Math.Max(0, 120 - crop.At<Vec3b>(y, x).Item0);
                sum += weight;
                sx += weight * x;
                sy += weight * y;
            }
        }

        return (sx / sum, sy / sum);
    }
}
