using System.Buffers.Binary;
using Face2Data.Datasets;
using OpenCvSharp;

namespace Face2Data.Server.Tests;

/// <summary>Images made at test time: a drawn face, red squares for <see cref="SquareDetector"/>, and broken files.</summary>
internal static class TestImages
{
    /// <summary>A cartoon face (skin-coloured ellipse, eyes, mouth) on a grey background.</summary>
    public static Mat Face(int width = 160, int height = 160)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        var center = new Point(width / 2, height / 2);
        Cv2.Ellipse(image, center, new Size(width * 0.32, height * 0.42), 0, 0, 360, new Scalar(140, 170, 220), -1);
        Cv2.Circle(image, new Point(width * 0.38, height * 0.42), Math.Max(2, width / 24), new Scalar(60, 40, 30), -1);
        Cv2.Circle(image, new Point(width * 0.62, height * 0.42), Math.Max(2, width / 24), new Scalar(60, 40, 30), -1);
        Cv2.Ellipse(image, new Point(width / 2, (int)(height * 0.64)), new Size(width * 0.12, height * 0.05), 0, 0, 180, new Scalar(70, 60, 160), Math.Max(1, width / 60));
        return image;
    }

    /// <summary>A grey image with pure red squares at the given places (for <see cref="SquareDetector"/>).</summary>
    public static Mat Squares(int width, int height, params Rect[] squares)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(90, 110, 120));
        foreach (var square in squares)
        {
            Cv2.Rectangle(image, square, new Scalar(0, 0, 255), -1);
        }

        return image;
    }

    /// <summary>A UTKFace crop of an adult, enlarged on a plain 720×480 backdrop, as a JPEG (made at test time, never kept).</summary>
    public static byte[] UtkFacePhotoJpeg()
    {
        var dataset = UtkFaceDataset.Open(TestPaths.UtkFaceArchive);
        var index = Enumerable.Range(0, dataset.Samples.Count).First(i => dataset.Samples[i].Labels[0] is >= 25 and <= 40);
        using var face = Cv2.ImDecode(dataset.ReadImages().First(image => image.Index == index).Bytes, ImreadModes.Color);
        using var photo = new Mat(480, 720, MatType.CV_8UC3, new Scalar(222, 214, 206));
        using var target = new Mat(photo, new Rect(210, 90, 300, 300));
        Cv2.Resize(face, target, new Size(300, 300), interpolation: InterpolationFlags.Cubic);
        return Jpeg(photo);
    }

    public static byte[] Jpeg(Mat image) => image.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 92));

    public static byte[] Png(Mat image) => image.ImEncode(".png");

    public static byte[] FaceJpeg(int width = 160, int height = 160)
    {
        using var face = Face(width, height);
        return Jpeg(face);
    }

    /// <summary>The first part of a JPEG: no end-of-image marker.</summary>
    public static byte[] TruncatedJpeg() => FaceJpeg()[..600];

    /// <summary>A real 16×16 PNG whose header is changed to declare 100,000 × 100,000 pixels.</summary>
    public static byte[] HugeDimensionPng()
    {
        using var small = Face(16, 16);
        var png = Png(small);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 100_000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 100_000);
        return png;
    }

    /// <summary>A complete PNG whose compressed pixel data is overwritten with garbage.</summary>
    public static byte[] CorruptPng()
    {
        using var face = Face(32, 32);
        var png = Png(face);
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(idat - 4));
        png.AsSpan(idat + 4, length).Fill(0xA5);
        return png;
    }

    public static byte[] Text() => "This is not an image, just some text."u8.ToArray();
}
