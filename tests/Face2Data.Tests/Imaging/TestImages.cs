using Face2Data.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Imaging;

/// <summary>Images made at test time, and helpers to encode, edit and compare them.</summary>
internal static class TestImages
{
    public static readonly Vec3b Red = new(0, 0, 255);
    public static readonly Vec3b Blue = new(255, 0, 0);
    public static readonly Vec3b Green = new(0, 255, 0);
    public static readonly Vec3b White = new(255, 255, 255);

    /// <summary>A BGR image whose left half is red and right half blue, so any rotation or flip shows.</summary>
    public static Mat RedLeftBlueRight(int width, int height)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(Red.Item0, Red.Item1, Red.Item2));
        using var right = image[new Rect(width / 2, 0, width - (width / 2), height)];
        right.SetTo(new Scalar(Blue.Item0, Blue.Item1, Blue.Item2));
        return image;
    }

    /// <summary>A BGR image of four colours in its quadrants (red, green / blue, white), asymmetric under every flip.</summary>
    public static Mat Quadrants(int width, int height)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, Scalar.All(255));
        var halfWidth = width / 2;
        var halfHeight = height / 2;
        using (var topLeft = image[new Rect(0, 0, halfWidth, halfHeight)])
        {
            topLeft.SetTo(new Scalar(0, 0, 255));
        }

        using (var topRight = image[new Rect(halfWidth, 0, width - halfWidth, halfHeight)])
        {
            topRight.SetTo(new Scalar(0, 255, 0));
        }

        using (var bottomLeft = image[new Rect(0, halfHeight, halfWidth, height - halfHeight)])
        {
            bottomLeft.SetTo(new Scalar(255, 0, 0));
        }

        return image;
    }

    public static byte[] Encode(Mat image, string extension, params ImageEncodingParam[] parameters)
    {
        Cv2.ImEncode(extension, image, out var bytes, parameters);
        Assert.NotEmpty(bytes);
        return bytes;
    }

    public static byte[] Encode(int width, int height, string extension, params ImageEncodingParam[] parameters)
    {
        using var image = RedLeftBlueRight(width, height);
        return Encode(image, extension, parameters);
    }

    /// <summary>Inserts an EXIF APP1 segment holding only an Orientation tag right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ExifOrientation orientation, bool bigEndian = true)
    {
        var value = (byte)orientation;
        byte[] tiff = bigEndian
            ? [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0]
            : [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0];
        return InsertSegment(jpeg, 0xE1, [.. "Exif\0\0"u8, .. tiff]);
    }

    /// <summary>Inserts a marker segment with the given payload right after the JPEG's SOI marker.</summary>
    public static byte[] InsertSegment(byte[] jpeg, byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        return [.. jpeg.AsSpan(0, 2), 0xFF, marker, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    /// <summary>Asserts a decoder result is a non-empty 8-bit BGR image of the given size.</summary>
    public static void AssertBgr(Mat image, int width, int height)
    {
        Assert.Equal(MatType.CV_8UC3, image.Type());
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
    }

    /// <summary>Asserts every channel of a pixel is within <paramref name="tolerance"/> of the expected value.</summary>
    public static void AssertPixel(Mat image, int row, int column, Vec3b expected, int tolerance = 0)
    {
        var actual = image.Get<Vec3b>(row, column);
        for (var c = 0; c < 3; c++)
        {
            Assert.True(
                Math.Abs(actual[c] - expected[c]) <= tolerance,
                $"pixel ({row}, {column}) is {actual}, expected {expected} ± {tolerance}");
        }
    }

    /// <summary>Largest absolute difference between two images of equal size and type.</summary>
    public static double MaxDifference(Mat a, Mat b) => Cv2.Norm(a, b, NormTypes.INF);
}
